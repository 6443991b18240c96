// Deterministic timestamps for written frames: start, start + step, ...
#pragma once

#include <chrono>
#include <cstdint>

#include "core/capture/stream.hpp"

namespace pc::capture {

class FrameClock {
 public:
  /// The default start (2020-09-13 12:26:40 UTC) and 1 ms step make every
  /// written file byte-identical from run to run.
  FrameClock() : FrameClock(Timestamp{1'600'000'000, 0}, std::chrono::milliseconds(1)) {}
  FrameClock(Timestamp start, std::chrono::nanoseconds step)
      : now_(start), step_(step.count() > 0 ? step.count() : 0) {}

  /// The time for the next frame; the clock then moves on by one step.
  Timestamp next() {
    const Timestamp current = now_;
    advance(step_);
    return current;
  }
  /// The next frame gets exactly `time` (e.g. a caller replaying real timings).
  void set(Timestamp time) { now_ = time; }
  /// Let `gap` pass before the next frame (e.g. a think time between messages).
  void wait(std::chrono::nanoseconds gap) { advance(gap.count() > 0 ? gap.count() : 0); }
  void set_step(std::chrono::nanoseconds step) { step_ = step.count() > 0 ? step.count() : 0; }
  [[nodiscard]] Timestamp peek() const { return now_; }

 private:
  void advance(std::int64_t nanoseconds) {
    constexpr std::int64_t kPerSecond = 1'000'000'000;
    const std::int64_t total = std::int64_t{now_.nanoseconds} + nanoseconds % kPerSecond;
    now_.seconds += nanoseconds / kPerSecond + total / kPerSecond;
    now_.nanoseconds = static_cast<std::uint32_t>(total % kPerSecond);
  }

  Timestamp now_;
  std::int64_t step_;
};

}  // namespace pc::capture
