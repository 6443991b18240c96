// Verdicts from essential-function cycles: windows, the three verdicts, recovery, the
// late bound. Pure functions: cycles written by hand.
#include <gtest/gtest.h>

#include "core/availability/judge.hpp"

namespace pc::availability {
namespace {

std::vector<Cycle> cycles(const std::string& pattern, int64_t period_ms = 100) {
  // o on time, l late, w wrong, m missed
  std::vector<Cycle> out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    Cycle c;
    c.t_ms = static_cast<int64_t>(i) * period_ms;
    c.latency_us = pattern[i] == 'l' ? 500000 : pattern[i] == 'o' ? 300 : 0;
    c.status = pattern[i] == 'o'   ? CycleStatus::OnTime
               : pattern[i] == 'l' ? CycleStatus::Late
               : pattern[i] == 'w' ? CycleStatus::Wrong
                                   : CycleStatus::Missed;
    out.push_back(c);
  }
  return out;
}

TEST(AvailabilityJudge, EveryWindowOnTimeIsAvailable) {
  observe::Thresholds t;
  auto j = judge_cycles(cycles(std::string(30, 'o')), t, 10);
  EXPECT_EQ(j.verdict, Verdict::Available);
  EXPECT_EQ(j.stats.on_time, 30u);
  EXPECT_DOUBLE_EQ(j.stats.success_ratio, 1.0);
}

TEST(AvailabilityJudge, OneWindowBelowTheRatioIsDegraded) {
  observe::Thresholds t;  // 95 %: one cycle of ten off is already below
  auto j = judge_cycles(cycles("oooooooooo" "oooolooooo" "oooooooooo"), t, 10);
  EXPECT_EQ(j.verdict, Verdict::Degraded);
  EXPECT_DOUBLE_EQ(j.stats.worst_window, 0.9);
  EXPECT_NE(j.why.find("1 late"), std::string::npos) << j.why;
}

TEST(AvailabilityJudge, AWindowWithoutACorrectAnswerIsFailed) {
  observe::Thresholds t;
  auto j = judge_cycles(cycles("oooooooooo" "mmmmmwwwmm" "oooooooooo"), t, 10);
  EXPECT_EQ(j.verdict, Verdict::Failed);
  EXPECT_DOUBLE_EQ(j.stats.worst_window, 0.0);
  // all late is degraded, not failed: the function is still delivered
  EXPECT_EQ(judge_cycles(cycles("llllllllll"), t, 10).verdict, Verdict::Degraded);
}

TEST(AvailabilityJudge, AShortTailWindowDoesNotDecide) {
  observe::Thresholds t;
  EXPECT_EQ(judge_cycles(cycles("oooooooooo" "oooooooooo" "mm"), t, 10).verdict, Verdict::Available);
  EXPECT_EQ(judge_cycles(cycles("oooooooooo" "oooooooooo" "ommmmm"), t, 10).verdict, Verdict::Degraded);
}

TEST(AvailabilityJudge, NoCyclesIsNotJudged) {
  observe::Thresholds t;
  EXPECT_EQ(judge_cycles({}, t, 10).verdict, Verdict::NotJudged);
}

TEST(AvailabilityJudge, LatencyPercentilesCountAnsweredCyclesOnly) {
  auto s = cycle_stats(cycles("ooooolmmmm"), 10);
  EXPECT_EQ(s.p50_us, 300u);
  EXPECT_EQ(s.max_us, 500000u);
  EXPECT_EQ(s.missed, 4u);
}

TEST(AvailabilityJudge, RecoveryIsTheFirstRunOfOnTimeCycles) {
  EXPECT_EQ(recovered_at(cycles("mmmoomooooo"), 5), std::optional<size_t>(6));
  EXPECT_EQ(recovered_at(cycles("ooooo"), 5), std::optional<size_t>(0));
  EXPECT_FALSE(recovered_at(cycles("oooomoooo"), 5));
}

TEST(AvailabilityJudge, LateBoundIsAMultipleOfTheBaselineP99WithAFloor) {
  observe::Thresholds t;  // factor 10, floor 100 ms
  std::vector<uint32_t> fast(100, 200);
  EXPECT_EQ(late_bound(fast, t), std::chrono::milliseconds(100));
  std::vector<uint32_t> slow(100, 30000);
  EXPECT_EQ(late_bound(slow, t), std::chrono::microseconds(300000));
}

TEST(AvailabilityJudge, WindowsAreAboutOneSecond) {
  EXPECT_EQ(window_cycles(std::chrono::milliseconds(100)), 10u);
  EXPECT_EQ(window_cycles(std::chrono::milliseconds(500)), 5u);
  EXPECT_EQ(window_cycles(std::chrono::milliseconds(20)), 50u);
}

TEST(AvailabilityJudge, WorseOrdersTheVerdicts) {
  EXPECT_EQ(worse(Verdict::Available, Verdict::Degraded), Verdict::Degraded);
  EXPECT_EQ(worse(Verdict::Failed, Verdict::Degraded), Verdict::Failed);
  EXPECT_EQ(worse(Verdict::NotJudged, Verdict::Available), Verdict::Available);
}

}  // namespace
}  // namespace pc::availability
