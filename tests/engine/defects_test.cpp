// Every seeded defect of the reference device, switched on alone, is found with the right
// kind by a campaign with one profile, three seeds and the same case budget; its
// reproducer is confirmed and replays; the fingerprint is the same under every seed. With
// every defect off, nothing is reported.
#include <gtest/gtest.h>

#include "tests/engine/engine_cli.hpp"

namespace pc::test {
namespace {

struct Defect {
  std::string name, kind;
};

const std::vector<uint64_t> kSeeds = {1, 2, 3};
const char* kBudget = "1000";  // the same case budget for every defect (covers the ci profile)

class ReferenceDefect : public ::testing::TestWithParam<Defect> {};

TEST_P(ReferenceDefect, FoundWithItsKindConfirmedAndReplayable) {
  const Defect& d = GetParam();
  std::set<std::string> fingerprints;
  for (uint64_t seed : kSeeds) {
    TempDir dir;
    std::vector<std::string> args = {"--target-cmd", ref_device({d.name}), "--seed", std::to_string(seed),
                                     "--cases", kBudget};
    args.insert(args.end(), fast_timing().begin(), fast_timing().end());
    CampaignRun run = run_campaign(dir.path(), args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    ASSERT_TRUE(run.summary.value("ok", false)) << run.summary.dump(1);
    auto found = run.of_kind(d.kind);
    ASSERT_FALSE(found.empty()) << d.name << " seed " << seed << " found:\n" << run.findings.dump(1);
    const auto& f = found.front();
    EXPECT_GE(f["details"].value("confirmed", 0), 1) << f.dump(1);
    fingerprints.insert(f["fingerprint"].get<std::string>());
    // nothing of a kind this defect cannot cause
    for (const auto& other : run.findings) {
      std::string k = other["kind"];
      bool expected = k == d.kind || (d.name == "write-multiple-overflow" && k == "accepted-invalid");
      EXPECT_TRUE(expected) << d.name << ": unexpected " << other["title"];
    }
    if (seed == kSeeds.front()) {
      // the stored reproducer replays on a fresh device
      std::vector<std::string> replay = {PC_CLI, "replay", std::to_string(f["id"].get<int64_t>()), "--project",
                                         dir.path(), "--target-cmd", ref_device({d.name})};
      RunResult r = test::run(replay, 300);
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_NE(r.out.find("reproduced 1 of 1"), std::string::npos) << r.out;
    }
  }
  EXPECT_EQ(fingerprints.size(), 1u) << "the same defect under every seed has one fingerprint";
}

INSTANTIATE_TEST_SUITE_P(
    Each, ReferenceDefect,
    ::testing::Values(Defect{"holding-overread", "memory-disclosure"}, Defect{"write-multiple-overflow", "crash"},
                      Defect{"fifo-count-spin", "needs-manual-reset"}, Defect{"restart-option-block", "hang"},
                      Defect{"session-slot-leak", "resource-exhaustion"},
                      Defect{"read-coils-quantity", "accepted-invalid"}, Defect{"listen-only-reads", "state-violation"},
                      Defect{"write-register-off-by-one", "accepted-invalid"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& c : n) c = c == '-' ? '_' : c;
      return n;
    });

TEST(ReferenceDevice, WithEveryDefectOffNothingIsReported) {
  for (uint64_t seed : kSeeds) {
    TempDir dir;
    std::vector<std::string> args = {"--target-cmd", ref_device({}), "--seed", std::to_string(seed), "--cases",
                                      kBudget};
    args.insert(args.end(), fast_timing().begin(), fast_timing().end());
    CampaignRun run = run_campaign(dir.path(), args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_GT(run.summary.value("cases", 0), 500);
    EXPECT_TRUE(run.findings.empty()) << "seed " << seed << ":\n" << run.findings.dump(1);
    EXPECT_TRUE(run.summary["observations"].empty()) << run.summary["observations"].dump(1);
  }
}

}  // namespace
}  // namespace pc::test
