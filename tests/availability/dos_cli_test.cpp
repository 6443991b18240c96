// The `protocrawler dos` command: its catalogue, its errors, storms it cannot run (said,
// not hidden), the safety rules applied to load, Ctrl-C that leaves no socket open, and
// the shape of what it stores (docs/dos.md) with the chart drawn from it.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "core/availability/availability_chart.hpp"
#include "core/availability/storm_catalogue.hpp"
#include "tests/availability/dos_cli.hpp"

namespace pc::test {
namespace {

RunResult cli(std::vector<std::string> args, int timeout = 120) {
  args.insert(args.begin(), PC_CLI);
  return run(args, timeout);
}

TEST(DosCli, ListsEveryStormOfTheCatalogue) {
  auto r = cli({"dos", "--list-storms"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& e : availability::catalogue()) {
    EXPECT_NE(r.out.find(std::string(e.info().name) + " "), std::string::npos) << e.info().name;
  }
  EXPECT_NE(r.out.find("CR 7.2"), std::string::npos);
}

TEST(DosCli, MistakesAreClearErrors) {
  TempDir dir;
  auto unknown = cli({"dos", "--target", "tcp://127.0.0.1:1", "--project", dir.path(), "--storm", "tsunami"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no storm named 'tsunami'"), std::string::npos) << unknown.err;
  auto param = cli({"dos", "--target", "tcp://127.0.0.1:1", "--project", dir.path(), "--storm", "request_flood",
                    "--param", "request_flood.speed=9"});
  EXPECT_EQ(param.exit_code, 2);
  EXPECT_NE(param.err.find("no parameter 'speed'"), std::string::npos) << param.err;
  auto remote = cli({"dos", "--target", "tcp://192.0.2.7:502", "--project", dir.path(), "--storm", "request_flood"});
  EXPECT_EQ(remote.exit_code, 2);
  EXPECT_NE(remote.err.find("is not a loopback address"), std::string::npos) << remote.err;
  auto steps = cli({"dos", "--target", "tcp://127.0.0.1:1", "--project", dir.path(), "--start-rate", "500"});
  EXPECT_EQ(steps.exit_code, 2);
  EXPECT_NE(steps.err.find("from 500 to 100 (--start-rate, --max-rate)"), std::string::npos) << steps.err;
  auto no_target = cli({"dos", "--project", dir.path()});
  EXPECT_EQ(no_target.exit_code, 2);
  EXPECT_NE(no_target.err.find("--target"), std::string::npos);
  // thresholds and rates out of range, NaN and infinity: refused before anything runs
  TempDir fresh;
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--min-success", "2"}, {"--latency-factor", "0"}, {"--max-rate", "nan"}, {"--hold-seconds", "inf"},
           {"--start-rate", "1e-300"}, {"--soak-seconds", "-5"}, {"--confirm", "0"}, {"--recovery-ms", "-1"}}) {
    auto bad = cli({"dos", "--target", "tcp://127.0.0.1:1", "--project", fresh.path(), option, value});
    EXPECT_EQ(bad.exit_code, 2) << option << " " << value;
    EXPECT_NE(bad.err.find(option + ": " + value + " is not in"), std::string::npos) << bad.err;
  }
  EXPECT_FALSE(std::filesystem::exists(fresh.path() + "/protocrawler.db")) << "a refused command line writes no store";
}

TEST(DosCli, TheSafetyRulesShapeWhatTheStormsSend) {
  // a dry run contacts nothing (port 1 is closed) and lists the requests the storms would send
  auto all = cli({"dos", "--dry-run", "--sl", "3", "--target", "tcp://127.0.0.1:1"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("largest: write_multiple_registers_request"), std::string::npos) << all.out;
  auto ro = cli({"dos", "--dry-run", "--sl", "3", "--read-only", "--target", "tcp://127.0.0.1:1"});
  ASSERT_EQ(ro.exit_code, 0) << ro.err;
  EXPECT_EQ(ro.out.find("largest: write"), std::string::npos) << ro.out;
  EXPECT_EQ(ro.out.find("largest: read_write"), std::string::npos) << "read/write multiple registers writes";
  EXPECT_NE(ro.out.find("largest: read_"), std::string::npos) << ro.out;
  // the side effect the model declares (listen-only silences every peer) is in no flood
  auto excluded = cli({"dos", "--dry-run", "--sl", "3", "--exclude", "read_holding_registers_request", "--target",
                       "tcp://127.0.0.1:1"});
  EXPECT_NE(excluded.out.find("valid requests: 0 x"), std::string::npos) << "the probe request itself was excluded";
}

TEST(DosCli, StormsThatCannotRunAreReportedAsNotRun) {
  TempDir dir;
  DosRun r = run_dos(dir.path(), std::vector<std::string>{"--target-cmd", ref_device(), "--no-netns", "--storm",
                                                          "syn_flood", "--storm", "session_exhaustion", "--max-level",
                                                          "2"} +
                                     test_timing());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto syn = r.storm("syn_flood");
  EXPECT_EQ(syn.value("status", ""), "skipped");
  EXPECT_NE(syn.value("skip_reason", "").find("not run"), std::string::npos) << syn.dump();
  const auto sessions = r.storm("session_exhaustion");
  EXPECT_EQ(sessions.value("status", ""), "ran");
  EXPECT_FALSE(sessions.value("sessions_vanished", true)) << "without the namespace, peers close instead of vanishing";
  auto series = stored(dir.path(), r.summary.value("run_id", 0), "session_exhaustion");
  ASSERT_TRUE(series);
  EXPECT_NE(series->result.vanish.find("namespace"), std::string::npos) << series->result.vanish;
}

// Established TCP connections with `port` at either end, from /proc/net/tcp.
int established(uint16_t port) {
  int n = 0;
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);
  const std::regex row(R"(\s*\d+: [0-9A-F]{8}:([0-9A-F]{4}) [0-9A-F]{8}:([0-9A-F]{4}) 01 )");
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    if (std::stoi(m[1], nullptr, 16) == port || std::stoi(m[2], nullptr, 16) == port) ++n;
  }
  return n;
}

TEST(DosCli, CtrlCStopsAtOnceAndLeavesNoSocketOpen) {
  TempDir dir;
  // the device runs on its own, so what is left connected to it can be counted afterwards
  Child device({PC_REF, "--port", "0"}, dir.file("device.out"), dir.file("device.err"));
  uint16_t port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::ifstream in(dir.file("device.out"));
    std::string text((std::istreambuf_iterator<char>(in)), {});
    std::smatch m;
    if (std::regex_search(text, m, std::regex(R"(listening on 127\.0\.0\.1:(\d+))"))) port = static_cast<uint16_t>(std::stoi(m[1]));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(port, 0);
  Child tool({PC_CLI, "dos", "--json", "--project", dir.path(), "--target", "tcp://127.0.0.1:" + std::to_string(port),
              "--storm", "connection_flood", "--param", "connection_flood.hold=50", "--storm", "request_flood",
              "--start-rate", "200", "--max-rate", "200", "--hold-seconds", "60", "--baseline-seconds", "1"},
             dir.file("tool.out"), dir.file("tool.err"));
  // wait until the flood holds its connections
  for (int i = 0; i < 100 && established(port) < 40; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_GE(established(port), 40) << "the storm did not start";
  const auto t0 = std::chrono::steady_clock::now();
  tool.kill(SIGINT);
  const int code = tool.wait(20);
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(code, 130);
  EXPECT_LT(took, std::chrono::seconds(10)) << "a 60 s step was cut short";
  // every connection of ours is gone: the device sees none (both ends are counted)
  for (int i = 0; i < 20 && established(port) > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(established(port), 0);
  auto netns = run({"/bin/sh", "-c", "ip netns list 2>/dev/null | grep -c pcdos-" + std::to_string(tool.pid()) + " || true"});
  EXPECT_EQ(netns.out, "0\n");
  // the interrupted run is in the store as such
  std::string err;
  auto s = store::Store::open(dir.path(), err);
  ASSERT_TRUE(s) << err;
  auto runs = s->runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "interrupted");
  device.kill(SIGTERM);
  EXPECT_EQ(device.wait(10), 0);
}

TEST(DosCli, StoresTheDocumentedShapeAndTheChartDrawsFromIt) {
  TempDir dir;
  DosRun r = run_dos(dir.path(), std::vector<std::string>{"--target-cmd", ref_device(), "--storm", "request_flood",
                                                          "--start-rate", "100", "--max-rate", "200"} +
                                     test_timing() + scan_counter());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int64_t run_id = r.summary.value("run_id", 0);
  std::string err;
  auto s = store::Store::open(dir.path(), err);
  ASSERT_TRUE(s) << err;
  for (const char* key : {"availability/plan", "availability/request_flood", "availability/summary"}) {
    EXPECT_TRUE(s->fact(run_id, key)) << key;
  }
  auto plan = nlohmann::json::parse(*s->fact(run_id, "availability/plan"));
  for (const char* k : {"storms", "rate_stepping", "level_stepping", "essential_function", "thresholds", "baseline",
                        "network_namespace", "pools"}) {
    EXPECT_TRUE(plan.contains(k)) << k;
  }
  EXPECT_NE(plan["essential_function"].value("channel_text", "").find("a connection opened before the storm"),
            std::string::npos);
  auto result = nlohmann::json::parse(*s->fact(run_id, "availability/request_flood"));
  for (const char* k : {"storm", "requirement", "unit", "intensity", "params", "status", "steps", "max_sustained_rate",
                        "degraded_rate", "failed_rate", "stopped", "recovery", "recovery_seconds", "verdict", "findings",
                        "series"}) {
    EXPECT_TRUE(result.contains(k)) << k;
  }
  const auto& step = result["steps"][0];
  for (const char* k : {"offered", "achieved", "answered_rate", "tool_cpu", "limit", "t_start_ms", "t_end_ms",
                        "essential_function", "verdict"}) {
    EXPECT_TRUE(step.contains(k)) << k;
  }
  // the cycles: baseline and storm, each status its own kind
  size_t baseline = 0, storm = 0;
  for (const auto& l : s->latency(run_id)) {
    baseline += l.kind == "ef:baseline:on-time";
    storm += l.kind.rfind("ef:request_flood:", 0) == 0;
  }
  EXPECT_GE(baseline, 5u);
  EXPECT_GE(storm, 15u) << "two steps of 1 s at 10 cycles a second, and the recovery";
  auto series = availability::load_storm_series(*s, run_id, "request_flood", err);
  ASSERT_TRUE(series) << err;
  const std::string svg = availability::render_availability_svg(*series);
  size_t circles = 0;
  for (size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
  size_t answered_in_range = 0;
  const int64_t t0 = series->result.steps.front().t_start_ms, t1 = series->result.recovery.t_end_ms;
  for (const auto& c : series->cycles) {
    answered_in_range += c.t_ms >= t0 && c.t_ms <= t1 &&
                         (c.status == availability::CycleStatus::OnTime || c.status == availability::CycleStatus::Late);
  }
  EXPECT_EQ(circles, answered_in_range);
  EXPECT_GT(circles, 10u);
}

}  // namespace
}  // namespace pc::test
