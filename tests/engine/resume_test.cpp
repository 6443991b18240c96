// A campaign killed with SIGKILL in the middle and resumed with --resume ends with the same
// findings (fingerprints) and the same per-case outcome classes as one never interrupted.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/store/store.hpp"
#include "tests/engine/engine_cli.hpp"

namespace pc::test {
namespace {

const std::vector<std::string> kDefects = {"read-coils-quantity", "listen-only-reads", "write-register-off-by-one"};

std::vector<std::string> campaign_args(const std::string& project) {
  std::vector<std::string> args = {PC_CLI, "run", "--json", "--model", "modbus-tcp", "--project", project,
                                   "--profile", "ci", "--seed", "9", "--cases", "600", "--connections", "1",
                                   "--target-cmd", ref_device(kDefects)};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  return args;
}

struct Outcome {
  std::set<std::string> fingerprints;
  std::vector<std::tuple<int, uint64_t, std::string>> cases;  // phase, index, outcome class
  size_t runs = 0;
};

Outcome read_store(const std::string& project) {
  std::string err;
  auto s = store::Store::open(project, err);
  EXPECT_TRUE(s) << err;
  Outcome o;
  if (!s) return o;
  for (const auto& f : s->findings()) o.fingerprints.insert(f.fingerprint);
  auto runs = s->runs();
  o.runs = runs.size();
  if (runs.empty()) return o;
  for (const auto& c : s->cases(runs.back().id)) o.cases.emplace_back(c.phase, c.index, c.outcome_name);
  std::sort(o.cases.begin(), o.cases.end());
  return o;
}

size_t committed_cases(const std::string& project) {
  std::string err;
  auto s = store::Store::open(project, err);
  if (!s) return 0;
  auto runs = s->runs();
  return runs.empty() ? 0 : s->cases(runs.back().id).size();
}

TEST(Resume, AfterSigkillTheResultsAreThoseOfAnUnbrokenRun) {
  TempDir unbroken, broken;
  RunResult a = run(campaign_args(unbroken.path()), 900);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  Outcome want = read_store(unbroken.path());
  ASSERT_FALSE(want.fingerprints.empty()) << "the defects give findings to compare";
  ASSERT_EQ(want.cases.size(), 600u);

  {
    Child c(campaign_args(broken.path()), broken.file("out1"), broken.file("err1"));
    // kill it once some batches are in the store, but well before the end
    for (int i = 0; i < 600 && committed_cases(broken.path()) < 150; ++i) usleep(50000);
    ASSERT_GE(committed_cases(broken.path()), 150u) << "the campaign did not get going";
    c.kill(SIGKILL);
    EXPECT_EQ(c.wait(30), 128 + SIGKILL);
  }
  size_t before = committed_cases(broken.path());
  EXPECT_LT(before, 600u) << "killed in the middle";
  auto args = campaign_args(broken.path());
  args.push_back("--resume");
  RunResult b = run(args, 900);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  Outcome got = read_store(broken.path());
  EXPECT_EQ(got.runs, 1u) << "the resumed campaign continues the same run";
  EXPECT_EQ(got.fingerprints, want.fingerprints);
  EXPECT_EQ(got.cases, want.cases);
}

}  // namespace
}  // namespace pc::test
