#include <gtest/gtest.h>

#include <fstream>

#include "core/generate/profile.hpp"

namespace pc::generate {
namespace {

TEST(Profiles, EverySecurityLevelLoadsAndGoesDeeper) {
  Profile prev;
  prev.per_slot = 0;
  for (int level = 1; level <= 4; ++level) {
    Profile p;
    std::string err;
    ASSERT_TRUE(load_profile(profile_for_level(level), p, err)) << err;
    EXPECT_EQ(p.security_level, level);
    EXPECT_GE(p.classes.size(), prev.classes.size());
    EXPECT_GE(p.per_slot, prev.per_slot);
    EXPECT_GE(p.random_cases, prev.random_cases);
    EXPECT_FALSE(p.dos_yaml.empty()) << "every level has a DoS slot";
    prev = p;
  }
  Profile ci;
  std::string err;
  ASSERT_TRUE(load_profile("ci", ci, err)) << err;
  EXPECT_LT(ci.per_slot, prev.per_slot);
}

TEST(Profiles, ErrorsNameTheFileAndPosition) {
  Profile p;
  std::string err;
  EXPECT_FALSE(load_profile("sl9", p, err));
  EXPECT_NE(err.find("no profile named 'sl9'"), std::string::npos);
  std::string path = ::testing::TempDir() + "/bad-profile.yaml";
  std::ofstream(path) << "name: x\nsystematic:\n  classes: [boundary, bogus]\n";
  EXPECT_FALSE(load_profile(path, p, err));
  EXPECT_NE(err.find(path + ":3:23: unknown mutation class 'bogus'"), std::string::npos) << err;
}

}  // namespace
}  // namespace pc::generate
