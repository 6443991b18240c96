// The availability chart: inline SVG from a stored series, the same bytes for the same
// data, every cycle drawn where it belongs, text escaped, and no data said as such.
#include <gtest/gtest.h>

#include <regex>

#include "core/availability/availability_chart.hpp"

namespace pc::availability {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

// Every element opened is closed, in order (the SVG is well formed for an XML parser).
bool balanced(const std::string& svg) {
  std::vector<std::string> open;
  std::regex tag(R"(<(/?)([a-zA-Z]+)[^>]*?(/?)>)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    if (m[3] == "/") continue;
    if (m[1] == "/") {
      if (open.empty() || open.back() != m[2]) return false;
      open.pop_back();
    } else {
      open.push_back(m[2]);
    }
  }
  return open.empty();
}

StormSeries two_steps() {
  StormSeries s;
  s.result.storm = "request_flood";
  s.result.unit = "requests/s";
  s.result.intensity = "rate";
  s.result.verdict = Verdict::Degraded;
  s.result.max_sustained_rate = 100;
  s.result.degraded_rate = 2000;
  StepResult a;
  a.offered = 100;
  a.achieved = 100;
  a.t_start_ms = 1000;
  a.t_end_ms = 2000;
  a.verdict = Verdict::Available;
  StepResult b = a;
  b.index = 1;
  b.offered = 2000;
  b.achieved = 1900;
  b.t_start_ms = 2100;
  b.t_end_ms = 3100;
  b.verdict = Verdict::Degraded;
  s.result.steps = {a, b};
  s.result.recovery.measured = true;
  s.result.recovery.seconds = 0.3;
  s.result.recovery.t_start_ms = 3100;
  s.result.recovery.t_end_ms = 3600;
  for (int64_t t = 1000; t < 3600; t += 100) {
    Cycle c;
    c.t_ms = t;
    c.latency_us = 250;
    c.status = CycleStatus::OnTime;
    if (t >= 2500 && t < 2700) c.status = CycleStatus::Missed;
    if (t == 2700) {
      c.status = CycleStatus::Late;
      c.latency_us = 400000;
    }
    if (t == 2800) c.status = CycleStatus::Wrong;
    s.cycles.push_back(c);
  }
  s.late_after_us = 100000;
  s.window_cycles = 10;
  return s;
}

TEST(AvailabilityChart, DrawsEveryCycleAndStepAsInlineSvg) {
  const StormSeries s = two_steps();
  const std::string svg = render_availability_svg(s);
  ASSERT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_TRUE(balanced(svg));
  EXPECT_EQ(count(svg, "<circle class=\"on-time\""), 22u);  // 26 cycles: 2 missed, 1 late, 1 wrong
  EXPECT_EQ(count(svg, "<circle class=\"late\""), 1u);
  EXPECT_EQ(count(svg, "<line class=\"missed\""), 2u);
  EXPECT_EQ(count(svg, "<line class=\"wrong\""), 1u);
  // the degraded step shaded in all three panels, the recovery hatched in all three
  EXPECT_EQ(count(svg, "class=\"verdict\""), 3u);
  EXPECT_EQ(count(svg, "class=\"recovery\""), 3u);
  EXPECT_EQ(count(svg, "class=\"offered\""), 1u);
  EXPECT_EQ(count(svg, "class=\"achieved\""), 1u);
  EXPECT_EQ(count(svg, "class=\"threshold\""), 1u);
  EXPECT_EQ(count(svg, "class=\"late-bound\""), 1u);
  EXPECT_NE(svg.find("offered load (requests/s)"), std::string::npos);
  EXPECT_NE(svg.find("request_flood: degraded"), std::string::npos);
  // rates across more than a factor of 10: a logarithmic load axis
  EXPECT_NE(svg.find(">3000<"), std::string::npos) << "top of the load axis: 1.5 x the highest rate";
  EXPECT_NE(svg.find(">67<"), std::string::npos) << "bottom of the load axis: the lowest rate / 1.5";
}

TEST(AvailabilityChart, SameDataSameBytes) {
  EXPECT_EQ(render_availability_svg(two_steps()), render_availability_svg(two_steps()));
}

TEST(AvailabilityChart, OnTimeShareIsDrawnPerWindow) {
  const std::string svg = render_availability_svg(two_steps());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex(R"re(<polyline class="on-time" points="([^"]*)")re")));
  const std::string pts = m[1];
  EXPECT_EQ(count(pts, ","), 3u) << "26 cycles in windows of 10: three points";
}

TEST(AvailabilityChart, TextIsEscaped) {
  StormSeries s = two_steps();
  s.result.storm = "a<b>&\"c\"";
  s.result.unit = "x<y";
  const std::string svg = render_availability_svg(s);
  EXPECT_EQ(svg.find("a<b>"), std::string::npos);
  EXPECT_NE(svg.find("a&lt;b&gt;&amp;&quot;c&quot;"), std::string::npos);
  EXPECT_NE(svg.find("x&lt;y"), std::string::npos);
  EXPECT_TRUE(balanced(svg));
}

TEST(AvailabilityChart, ASkippedStormSaysSo) {
  StormSeries s;
  s.result.storm = "syn_flood";
  s.result.status = "skipped";
  s.result.skip_reason = "not run: needs root";
  const std::string svg = render_availability_svg(s);
  EXPECT_TRUE(balanced(svg));
  EXPECT_NE(svg.find("no load was applied: not run: needs root"), std::string::npos);
  EXPECT_EQ(count(svg, "<circle"), 0u);
}

}  // namespace
}  // namespace pc::availability
