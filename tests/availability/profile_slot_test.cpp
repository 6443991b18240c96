// The dos slot of the depth profiles: every shipped profile parses, SL 1 has the low-rate
// connection and request floods and session exhaustion, deeper levels more, and an
// unknown storm or key is an error with its name.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/availability/availability_options.hpp"
#include "core/availability/storm_catalogue.hpp"
#include "core/generate/profile.hpp"

namespace pc::availability {
namespace {

AvailabilityOptions slot_of(const std::string& profile) {
  generate::Profile p;
  std::string err;
  EXPECT_TRUE(generate::load_profile(profile, p, err)) << err;
  AvailabilityOptions a;
  EXPECT_TRUE(apply_profile_slot(p.dos_yaml, a, err)) << profile << ": " << err;
  return a;
}

bool has(const AvailabilityOptions& a, const std::string& s) {
  return std::find(a.storms.begin(), a.storms.end(), s) != a.storms.end();
}

TEST(AvailabilityProfiles, SlOneHasLowRateFloodsAndSessionExhaustion) {
  auto a = slot_of("sl1");
  EXPECT_TRUE(has(a, "connection_flood"));
  EXPECT_TRUE(has(a, "request_flood"));
  EXPECT_TRUE(has(a, "session_exhaustion"));
  EXPECT_LE(a.rate_plan.ceiling, 1000) << "low rates at SL 1";
  EXPECT_LE(a.rate_plan.start, 10);
}

TEST(AvailabilityProfiles, DeeperLevelsAddStormsAndRates) {
  double ceiling = 0;
  size_t storms = 0;
  for (const char* p : {"sl1", "sl2", "sl3", "sl4"}) {
    auto a = slot_of(p);
    EXPECT_GE(a.rate_plan.ceiling, ceiling) << p;
    EXPECT_GE(a.storms.size(), storms) << p;
    ceiling = a.rate_plan.ceiling;
    storms = a.storms.size();
    for (const auto& s : a.storms) EXPECT_NE(find_storm(s), nullptr) << p << ": " << s;
  }
  auto sl4 = slot_of("sl4");
  EXPECT_TRUE(has(sl4, "syn_flood"));
  EXPECT_TRUE(has(sl4, "slow_trickle"));
  EXPECT_GT(sl4.soak.count(), 0) << "SL 4 soaks";
  EXPECT_TRUE(slot_of("ci").storms.empty());
}

TEST(AvailabilityProfiles, UnknownStormsAndKeysAreErrors) {
  AvailabilityOptions a;
  std::string err;
  EXPECT_FALSE(apply_profile_slot("enabled: [tsunami]\n", a, err));
  EXPECT_NE(err.find("tsunami"), std::string::npos);
  EXPECT_FALSE(apply_profile_slot("rate: 5\n", a, err));
  EXPECT_NE(err.find("'rate'"), std::string::npos);
  EXPECT_TRUE(apply_profile_slot("enabled: [slow_peer]\nhold_seconds: 1.5\n", a, err)) << err;
  EXPECT_EQ(a.storms, (std::vector<std::string>{"slow_partial_frame", "slow_trickle", "slow_no_read"}));
  EXPECT_EQ(a.rate_plan.hold, std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace pc::availability
