// A hostile server (random bytes, absurd lengths, a byte a second, resets mid-answer,
// silence, floods) cannot crash the engine or grow its memory without bound: the engine's
// executor and oracle run cases against each mode, in this (sanitized) process.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fstream>
#include <variant>

#include "core/campaign/executor.hpp"
#include "core/generate/systematic.hpp"
#include "core/model/loader.hpp"
#include "core/observe/process_monitor.hpp"
#include "tests/engine/engine_cli.hpp"

namespace pc::test {
namespace {

long rss_kb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

class Hostile : public ::testing::TestWithParam<std::string> {};

TEST_P(Hostile, EngineSurvivesWithBoundedMemory) {
  auto loaded = model::load_model_file(std::string(PC_MODELS_DIR) + "/modbus-tcp.yaml");
  auto m = std::get<std::shared_ptr<const model::Model>>(loaded);
  TempDir dir;
  observe::ProcessMonitor server(std::string(PC_HOSTILE) + " --port 0 --mode " + GetParam(), "listening on",
                                 dir.file("server.log"));
  std::string err;
  ASSERT_TRUE(server.start(std::chrono::seconds(10), err)) << err;
  campaign::Options o;
  o.target = "tcp://" + server.ready_text();
  o.thresholds.max_latency = std::chrono::milliseconds(300);
  campaign::TargetControl target(*m, o, "");
  ASSERT_TRUE(target.start(err)) << err;
  campaign::Executor ex(*m, target);
  ex.set_deadline(std::chrono::milliseconds(60));
  generate::Profile p;
  ASSERT_TRUE(generate::load_profile("ci", p, err)) << err;
  generate::Catalog catalog(*m, p);
  generate::Counters counters(*m);
  generate::Systematic gen(catalog, counters);
  const uint64_t n = std::min<uint64_t>(gen.count(), 60);
  long baseline = 0;
  size_t answers = 0;
  const auto started = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    generate::TestCase c;
    gen.generate(i, c);
    oracle::CaseResult r = ex.run(c);
    oracle::Verdict v = oracle::first_look(*m, r);
    (void)v;
    for (const auto& a : r.answers) answers += a.reaction == oracle::Reaction::Normal;
    if (i == 10) baseline = rss_kb();
    ASSERT_TRUE(server.alive()) << "the hostile server itself went away";
  }
  const long grown = rss_kb() - baseline;
  EXPECT_LT(grown, 128 * 1024) << "kB grown after the first cases";
  // every case ends within its deadlines: bounded time, whatever the server does
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(seconds, static_cast<double>(n) * 2.0);
  (void)answers;
}

INSTANTIATE_TEST_SUITE_P(Modes, Hostile,
                         ::testing::Values("random-bytes", "absurd-length", "slow", "reset", "silent", "flood",
                                           "close-immediately"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) c = c == '-' ? '_' : c;
                           return n;
                         });

TEST(Hostile, ACampaignAgainstAHostileServerEndsCleanly) {
  // the campaign refuses a target that never answers its health probe, with a message
  TempDir dir;
  observe::ProcessMonitor server(std::string(PC_HOSTILE) + " --port 0 --mode random-bytes", "listening on",
                                 dir.file("server.log"));
  std::string err;
  ASSERT_TRUE(server.start(std::chrono::seconds(10), err)) << err;
  CampaignRun run = run_campaign(dir.path(), {"--target", "tcp://" + server.ready_text(), "--cases", "20",
                                              "--max-latency-ms", "300"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("not healthy"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace pc::test
