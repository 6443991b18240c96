// Rate stepping against a third-party stack: the libmodbus server's highest sustained
// request rate is found (the stepping ends for a stated reason: the device took no more,
// it degraded, the ceiling, or the tool's own limit), stored with its steps, and shown
// in the report with its chart.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/availability/dos_cli.hpp"

namespace pc::test {
namespace {

TEST(DosLibmodbus, RateSteppingFindsTheHighestSustainedRequestRate) {
  TempDir dir;
  DosRun r = run_dos(dir.path(), std::vector<std::string>{"--target-cmd", libmodbus_server(), "--storm", "request_flood",
                                                          "--start-rate", "1000", "--step-factor", "4", "--max-rate",
                                                          "16384000", "--ef-message", "read_input_registers_request",
                                                          "--ef-set", "pdu.address=5", "--ef-set", "pdu.quantity=1",
                                                          "--ef-value", "pdu.values[0]", "--ef-range", "5..5"} +
                                     test_timing());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto s = r.storm("request_flood");
  ASSERT_TRUE(s.contains("max_sustained_rate") && s["max_sustained_rate"].is_number()) << s.dump(1);
  EXPECT_GE(s["max_sustained_rate"].get<double>(), 1000.0);
  const std::string stopped = s.value("stopped", "");
  EXPECT_TRUE(stopped == "target-intake" || stopped == "degraded" || stopped == "failed" || stopped == "tool-limited" ||
              stopped == "ceiling")
      << stopped;
  auto series = stored(dir.path(), r.summary.value("run_id", 0), "request_flood");
  ASSERT_TRUE(series);
  const auto& steps = series->result.steps;
  ASSERT_GE(steps.size(), 2u);
  for (size_t i = 1; i < steps.size(); ++i) {
    if (steps[i].kind != "step") continue;
    EXPECT_DOUBLE_EQ(steps[i].offered, steps[i - 1].offered * 4) << "geometric steps";
  }
  // the highest sustained rate is one the device was really under with its function intact
  bool found = false;
  for (const auto& st : steps) {
    if (st.verdict != availability::Verdict::Available) continue;
    found |= st.offered >= s["max_sustained_rate"].get<double>() ||
             std::abs(std::min(st.achieved, st.answered_rate) - s["max_sustained_rate"].get<double>()) < 1e-6;
    EXPECT_GT(st.tool_cpu, 0.0) << "the tool's own CPU is recorded per step";
  }
  EXPECT_TRUE(found);
  // the value the monitor read is libmodbus's input register 5, which holds 5: never wrong
  for (const auto& c : series->cycles) EXPECT_NE(c.status, availability::CycleStatus::Wrong);
  // the report shows it, with its chart
  RunResult rep = run({PC_CLI, "report", "--project", dir.path(), "--out", dir.path() + "/report", "--format", "json"}, 120);
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  std::ifstream in(dir.path() + "/report/report.json");
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(doc.is_object() && doc.contains("availability"));
  ASSERT_EQ(doc["availability"]["storms"].size(), 1u);
  const auto& shown = doc["availability"]["storms"][0];
  EXPECT_EQ(shown["max_sustained_rate"], s["max_sustained_rate"]);
  EXPECT_EQ(shown["steps"].size(), steps.size());
  EXPECT_EQ(shown["chart_svg"].get<std::string>().rfind("<svg ", 0), 0u);
}

}  // namespace
}  // namespace pc::test
