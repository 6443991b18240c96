// Rate stepping and storm verdicts as decisions: what limits a step, when stepping stops,
// the three rates, the next rate, the recovery verdict, a storm's verdict and its finding.
// Pure functions: steps written by hand.
#include <gtest/gtest.h>

#include "core/availability/rate_stepper.hpp"
#include "core/availability/storm_verdict.hpp"

namespace pc::availability {
namespace {

StepResult step(double offered, Verdict v, const std::string& limit = "", const std::string& kind = "step") {
  StepResult s;
  s.offered = offered;
  s.achieved = offered;
  s.answered_rate = offered;
  s.verdict = v;
  s.limit = limit;
  s.kind = kind;
  s.why = "why";
  return s;
}

StepResult measured(double offered, double achieved, double answered, double blocked, double cpu) {
  StepResult s;
  s.offered = offered;
  s.achieved = achieved;
  s.answered_rate = answered;
  s.blocked_rate = blocked;
  s.tool_cpu = cpu;
  return s;
}

TEST(AvailabilityStepping, DeliveredStepsAreNotLimited) {
  EXPECT_EQ(step_limit(measured(1000, 990, 990, 0, 0.2), true, true), "");
}

TEST(AvailabilityStepping, ASaturatedLoadThreadIsToolLimited) {
  EXPECT_EQ(step_limit(measured(1000, 1000, 1000, 0, 0.95), true, true), "tool");
}

TEST(AvailabilityStepping, ShortfallWithoutBackpressureIsTheTool) {
  EXPECT_EQ(step_limit(measured(1000, 500, 500, 10, 0.3), true, true), "tool");
}

TEST(AvailabilityStepping, ShortfallExplainedByTheDevicesWindowIsTargetIntake) {
  EXPECT_EQ(step_limit(measured(1000, 500, 500, 400, 0.3), true, true), "target-intake");
}

TEST(AvailabilityStepping, AnswersFallingBehindIsTargetIntakeOnlyForAnsweredStorms) {
  EXPECT_EQ(step_limit(measured(1000, 1000, 600, 0, 0.3), true, true), "target-intake");
  EXPECT_EQ(step_limit(measured(1000, 1000, 0, 0, 0.3), true, false), "");
}

TEST(AvailabilityStepping, HarnessErrorsWinAndLevelStormsKnowNoOtherLimit) {
  StepResult s = measured(1000, 10, 0, 0, 1.0);
  s.harness_error = "EMFILE";
  EXPECT_EQ(step_limit(s, true, true), "harness");
  EXPECT_EQ(step_limit(measured(64, 3, 0, 0, 1.0), false, true), "");
}

TEST(AvailabilityStepping, GeometricStepsCappedAtTheCeiling) {
  SteppingPlan p;
  p.start = 10;
  p.factor = 4;
  p.ceiling = 100;
  EXPECT_DOUBLE_EQ(next_level(10, p, true), 40);
  EXPECT_DOUBLE_EQ(next_level(40, p, true), 100);
  p.factor = 1.2;
  EXPECT_DOUBLE_EQ(next_level(1, p, false), 2);  // levels grow by at least one
  EXPECT_DOUBLE_EQ(next_level(10, p, false), 12);
}

// Runs the given steps through fold_step as step_up does; returns why it stopped and
// how many steps were taken.
std::pair<std::string, size_t> fold_all(const std::vector<StepResult>& steps, const SteppingPlan& p, StormResult& r,
                                        bool alive = true) {
  uint32_t past = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    StepContext at;
    at.target_alive = [alive] { return alive; };
    std::string stop = fold_step(steps[i], p, at, r, past);
    if (!stop.empty()) return {stop, i + 1};
  }
  return {"", steps.size()};
}

TEST(AvailabilityStepping, AvailableUpToTheCeiling) {
  SteppingPlan p;
  p.ceiling = 40;
  StormResult r;
  auto [why, n] = fold_all({step(10, Verdict::Available), step(20, Verdict::Available), step(40, Verdict::Available)},
                           p, r);
  EXPECT_EQ(why, "ceiling");
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(r.max_sustained_rate, 40);
  EXPECT_FALSE(r.degraded_rate);
  EXPECT_FALSE(r.failed_rate);
}

TEST(AvailabilityStepping, DegradedThenOneStepPastItThenStops) {
  SteppingPlan p;
  p.ceiling = 1000;
  p.past_degraded = 1;
  StormResult r;
  auto [why, n] = fold_all({step(10, Verdict::Available), step(20, Verdict::Degraded), step(40, Verdict::Degraded),
                            step(80, Verdict::Available)},
                           p, r);
  EXPECT_EQ(why, "degraded");
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(r.max_sustained_rate, 10);
  EXPECT_EQ(r.degraded_rate, 20);
  EXPECT_FALSE(r.failed_rate);
}

TEST(AvailabilityStepping, FailedStopsAtOnceAndIsAlsoTheDegradedRateWhenFirst) {
  SteppingPlan p;
  p.ceiling = 1000;
  StormResult r;
  auto [why, n] = fold_all({step(10, Verdict::Available), step(20, Verdict::Failed), step(40, Verdict::Available)},
                           p, r);
  EXPECT_EQ(why, "failed");
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(r.degraded_rate, 20);
  EXPECT_EQ(r.failed_rate, 20);
}

TEST(AvailabilityStepping, AToolLimitedStepStopsWithNoVerdictOnTheDevice) {
  SteppingPlan p;
  p.ceiling = 1000;
  StormResult r;
  auto [why, n] = fold_all({step(10, Verdict::Available), step(20, Verdict::NotJudged, "tool")}, p, r);
  EXPECT_EQ(why, "tool-limited");
  EXPECT_EQ(r.max_sustained_rate, 10);
  EXPECT_FALSE(r.degraded_rate);
}

TEST(AvailabilityStepping, AtTheDevicesIntakeWhatItServedIsSustained) {
  SteppingPlan p;
  p.ceiling = 1e6;
  StormResult r;
  StepResult s = step(1000, Verdict::Available, "target-intake");
  s.achieved = 700;
  s.answered_rate = 650;
  auto [why, n] = fold_all({s}, p, r);
  EXPECT_EQ(why, "target-intake");
  EXPECT_EQ(r.max_sustained_rate, 650);
}

TEST(AvailabilityStepping, ADeadTargetHarnessErrorsAndInterruptsStop) {
  SteppingPlan p;
  p.ceiling = 1000;
  StormResult r1;
  EXPECT_EQ(fold_all({step(10, Verdict::Available)}, p, r1, false).first, "target-died");
  StormResult r2;
  EXPECT_EQ(fold_all({step(10, Verdict::NotJudged, "harness")}, p, r2).first, "harness-error");
  StormResult r3;
  uint32_t past = 0;
  StepContext at;
  at.interrupted = true;
  EXPECT_EQ(fold_step(step(10, Verdict::Available), p, at, r3, past), "interrupted");
  at.interrupted = false;
  at.limit_found = true;
  EXPECT_EQ(fold_step(step(10, Verdict::Available), p, at, r3, past), "session-limit");
}

TEST(AvailabilityRecovery, PromptWithinTheGraceSlowAfterItNoneWithout) {
  const std::chrono::milliseconds grace{2000};
  EXPECT_EQ(recovery_verdict(0.3, grace), "prompt");
  EXPECT_EQ(recovery_verdict(2.0, grace), "prompt");
  EXPECT_EQ(recovery_verdict(7.5, grace), "slow");
  EXPECT_EQ(recovery_verdict(std::nullopt, grace), "none");
}

StormResult ran(std::vector<StepResult> steps, const std::string& recovery, std::optional<double> seconds = 0.1) {
  StormResult r;
  r.unit = "requests/s";
  r.steps = std::move(steps);
  r.recovery.measured = true;
  r.recovery.verdict = recovery;
  r.recovery.seconds = seconds;
  r.stopped = "ceiling";
  r.max_sustained_rate = 40;
  return r;
}

TEST(AvailabilityStormVerdict, AvailableStepsAndAPromptRecoveryFileNothing) {
  auto v = conclude_storm(ran({step(10, Verdict::Available), step(40, Verdict::Available)}, "prompt"), {}, false);
  EXPECT_EQ(v.verdict, Verdict::Available);
  EXPECT_FALSE(v.kind);
  EXPECT_NE(v.why.find("up to 40 requests/s"), std::string::npos) << v.why;
}

TEST(AvailabilityStormVerdict, AConfirmedDegradedStepIsADegradedFinding) {
  auto v = conclude_storm(ran({step(10, Verdict::Available), step(20, Verdict::Degraded),
                               step(20, Verdict::Degraded, "", "confirm")},
                              "prompt"),
                          {}, false);
  EXPECT_EQ(v.verdict, Verdict::Degraded);
  EXPECT_EQ(v.kind, oracle::FindingKind::Degraded);
  EXPECT_NE(v.why.find("at 20 requests/s"), std::string::npos) << v.why;
}

TEST(AvailabilityStormVerdict, AnUnconfirmedDegradationIsOnlyAnObservation) {
  auto v = conclude_storm(ran({step(10, Verdict::Available), step(20, Verdict::Degraded),
                               step(20, Verdict::Available, "", "confirm")},
                              "prompt"),
                          {}, false);
  EXPECT_EQ(v.verdict, Verdict::Available);
  EXPECT_FALSE(v.kind);
}

TEST(AvailabilityStormVerdict, ASlowRecoveryIsAtLeastDegraded) {
  auto v = conclude_storm(ran({step(10, Verdict::Available)}, "slow", 7.5), {}, false);
  EXPECT_EQ(v.verdict, Verdict::Degraded);
  EXPECT_EQ(v.kind, oracle::FindingKind::Degraded);
  EXPECT_NE(v.why.find("7.50 s"), std::string::npos) << v.why;
}

TEST(AvailabilityStormVerdict, NoRecoveryNeedsAManualReset) {
  auto v = conclude_storm(ran({step(10, Verdict::Available)}, "none", std::nullopt), {}, false);
  EXPECT_EQ(v.verdict, Verdict::Failed);
  EXPECT_EQ(v.kind, oracle::FindingKind::NeedsManualReset);
}

TEST(AvailabilityStormVerdict, SessionsNeverFreedAreResourceExhaustion) {
  StormResult r = ran({step(16, Verdict::Available)}, "prompt");
  r.sessions_freed = false;
  r.vanished = true;
  auto v = conclude_storm(r, {}, false);
  EXPECT_EQ(v.verdict, Verdict::Failed);
  EXPECT_EQ(v.kind, oracle::FindingKind::ResourceExhaustion);
  EXPECT_NE(v.why.find("vanished"), std::string::npos) << v.why;
}

TEST(AvailabilityStormVerdict, ADeadTargetIsACrashAndASkippedStormFilesNothing) {
  auto v = conclude_storm(ran({step(10, Verdict::Available)}, "none", std::nullopt), {}, true);
  EXPECT_EQ(v.verdict, Verdict::Failed);
  EXPECT_EQ(v.kind, oracle::FindingKind::Crash);
  StormResult skipped;
  skipped.status = "skipped";
  skipped.skip_reason = "not run: needs root";
  auto s = conclude_storm(skipped, {}, false);
  EXPECT_EQ(s.verdict, Verdict::NotJudged);
  EXPECT_FALSE(s.kind);
  EXPECT_EQ(s.why, "not run: needs root");
}

}  // namespace
}  // namespace pc::availability
