// Automatic rate stepping. A storm starts at a low rate and steps it up geometrically,
// each step held for `hold`, during which the essential function must stay within the
// thresholds throughout for the step to count as sustained:
//
//   rate = start, start x factor, start x factor^2, ... up to the ceiling
//
// Per step: offered rate, achieved rate, answers, the device's backpressure, and the
// load thread's own CPU. A step whose achieved rate falls below 95 % of the offered one
// for reasons of our own (the load thread saturated, no backpressure from the device to
// explain it) is "tool-limited": stepping stops with no verdict on the device. Backpressure
// (the device's TCP window full) is "target-intake": the device took no more, stepping
// stops, the step is judged. Running out of descriptors or ports is a harness error.
//
// The result per storm: the highest sustained rate, the rate at which the function
// degraded, the rate at which it failed. A soak pins one rate for a duration.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "core/availability/essential_function.hpp"
#include "core/availability/storm.hpp"
#include "core/availability/storm_result.hpp"
#include "core/observe/thresholds.hpp"

namespace pc::availability {

struct SteppingPlan {
  double start = 10;       // first rate (or level)
  double factor = 2;       // each step multiplies the rate by this
  double ceiling = 100;    // no step above this
  std::chrono::milliseconds hold{5000};
  uint32_t past_degraded = 1;  // steps after the first degraded one, to find where it fails
};

class Stepper {
 public:
  Stepper(const EssentialMonitor& monitor, const observe::Thresholds& thresholds, const std::atomic<bool>& stop)
      : monitor_(monitor), thresholds_(thresholds), stop_(stop) {}

  // One step: the storm at `offered` for `hold`, then judged.
  StepResult run_step(Storm& storm, double offered, std::chrono::milliseconds hold, uint32_t index,
                      const std::string& kind);
  // Steps up from plan.start; fills result.steps, the three rates and result.stopped.
  // `target_alive` is asked after every step (a process that died stops the stepping).
  void step_up(Storm& storm, const SteppingPlan& plan, StormResult& result,
               const std::function<bool()>& target_alive);
  // A pinned rate for a duration.
  void soak(Storm& storm, double rate, std::chrono::milliseconds duration, StormResult& result);

  // Called after every step (a progress display).
  std::function<void(const StepResult&)> on_step;

 private:
  struct Pacing {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    uint64_t done = 0;  // units due so far (fired, or dropped when the tool fell behind)
  };
  void drive(Storm& storm, double offered, Pacing& pace, std::chrono::steady_clock::time_point until);
  const EssentialMonitor& monitor_;
  const observe::Thresholds& thresholds_;
  const std::atomic<bool>& stop_;
};

// The pure parts of the stepping, one decision each (unit-tested on their own).

// What limited a measured step: "" (nothing: the offered rate was delivered), "tool"
// (achieved below 95 % of offered without the device's backpressure to explain it, or
// the load thread at 90 % CPU or more), "target-intake" (the device's TCP window pushed
// back, or its answers fell below 95 % of what was delivered when `answered`), "harness"
// (r.harness_error is set). Level storms (`rate` false) are limited by harness errors only.
std::string step_limit(const StepResult& r, bool rate, bool answered);

// What the stepping knows besides the step itself when it decides whether to go on.
struct StepContext {
  bool interrupted = false;             // Ctrl-C
  bool limit_found = false;             // a session storm found the device's limit
  std::function<bool()> target_alive;   // asked only when the step did not fail
};

// Folds one finished step into the storm's three rates and returns why stepping stops
// (`interrupted`, `harness-error`, `tool-limited`, `failed`, `target-died`, `degraded`
// once `plan.past_degraded` more steps ran after the first degraded one, `target-intake`,
// `session-limit`, `ceiling`), or "" to go on. `past` counts the steps after the first
// degraded one across calls.
std::string fold_step(const StepResult& s, const SteppingPlan& plan, const StepContext& at, StormResult& result,
                      uint32_t& past);

// The next step's rate (geometric) or level (geometric, at least one more), capped at the ceiling.
double next_level(double level, const SteppingPlan& plan, bool rate);

// The load thread's CPU time so far (seconds).
double thread_cpu_seconds();

}  // namespace pc::availability
