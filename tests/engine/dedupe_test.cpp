// One defect reached by two inputs is one finding (two occurrences); two defects of the
// same kind are two findings; one defect reached from many message types is searched for
// once per mutation class, not once per message type.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/engine/engine_cli.hpp"

namespace pc::test {
namespace {

TEST(Dedupe, TwoInputsForOneDefectGiveOneFinding) {
  TempDir dir;
  // quantities 2001 and 2002 both reach the read-coils defect (it accepts 2001..2040)
  std::string profile = dir.file("dedupe.yaml");
  std::ofstream(profile) << "name: dedupe\nsystematic:\n  classes: [out_of_range]\n  per_slot: 3\nstateful: []\n"
                            "random:\n  cases: 0\n";
  std::vector<std::string> args = {"--target-cmd", ref_device({"read-coils-quantity"}), "--profile", profile,
                                   "--phases", "discovery,systematic"};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  CampaignRun run = run_campaign(dir.path(), args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto found = run.of_kind("accepted-invalid");
  ASSERT_EQ(found.size(), 1u) << run.findings.dump(1);
  EXPECT_EQ(found[0]["message_type"], "read_coils_request");
  EXPECT_EQ(found[0]["field"], "pdu.quantity");
  EXPECT_GE(found[0]["occurrences"].get<int>(), 2) << "both inputs are occurrences of the one finding";
}

TEST(Dedupe, TwoDefectsOfTheSameKindGiveTwoFindings) {
  TempDir dir;
  std::vector<std::string> args = {"--target-cmd", ref_device({"read-coils-quantity", "write-register-off-by-one"})};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  CampaignRun run = run_campaign(dir.path(), args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto found = run.of_kind("accepted-invalid");
  ASSERT_EQ(found.size(), 2u) << run.findings.dump(1);
  std::set<std::string> messages = {found[0]["message_type"], found[1]["message_type"]};
  EXPECT_EQ(messages, (std::set<std::string>{"read_coils_request", "write_single_register_request"}));
  EXPECT_NE(found[0]["fingerprint"], found[1]["fingerprint"]);
}

// libmodbus answers every function code from 0x80 up with that code minus 0x80 (its
// exception code wraps around a byte), which the model reads as a normal answer with an
// unassigned function code. Every message type's function code set that high reaches it:
// the device read them all as the same message, so the campaign searches once per class
// and counts the rest as occurrences.
TEST(Dedupe, OneDefectReachedFromManyMessageTypesIsSearchedOncePerClass) {
  TempDir dir;
  std::string profile = dir.file("function-codes.yaml");
  std::ofstream(profile) << "name: function-codes\nsystematic:\n  classes: [boundary, out_of_range]\n"
                            "  per_slot: 8\n  focus: [\"pdu.function_code\"]\nstateful: []\nrandom:\n  cases: 0\n";
  std::vector<std::string> args = {"--target-cmd", std::string(PC_LIBMODBUS) + " --port 0 --response-timeout-us 1",
                                   "--profile", profile, "--phases", "systematic"};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  CampaignRun run = run_campaign(dir.path(), args);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string fingerprint;
  int occurrences = 0;
  for (const auto& f : run.of_kind("accepted-invalid")) {
    if (f["message_type"] != "unassigned_function_request") continue;
    fingerprint = f["fingerprint"];
    occurrences = f["occurrences"].get<int>();
  }
  ASSERT_FALSE(fingerprint.empty()) << run.findings.dump(1);
  int searches = 0;
  for (const auto& f : run.summary["findings"]) searches += f["fingerprint"] == fingerprint;
  EXPECT_GE(occurrences, 10) << "every message type's high function code is an occurrence";
  EXPECT_LE(searches, 2) << "one search per mutation class (boundary, out_of_range)";
}

}  // namespace
}  // namespace pc::test
