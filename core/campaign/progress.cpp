#include "core/campaign/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace pc::campaign {

Progress::Progress(Mode mode, FILE* line_out, FILE* json_out)
    : mode_(mode), line_(line_out), json_(json_out), tty_(isatty(fileno(line_out)) != 0) {}

void Progress::update(const ProgressState& s, bool force) {
  auto now = std::chrono::steady_clock::now();
  const auto every = mode_ == Mode::Json ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(250);
  if (!force && now - last_ < every) return;
  last_ = now;
  const double rate = s.elapsed > 0 ? static_cast<double>(s.done) / s.elapsed : 0;
  if (mode_ == Mode::Json) {
    event({{"event", "progress"}, {"phase", s.phase}, {"cases", s.done}, {"planned", s.total},
           {"phase_done", s.phase_done}, {"phase_total", s.phase_total}, {"cases_per_second", rate},
           {"findings", s.findings}, {"health", s.health}, {"elapsed_seconds", s.elapsed}});
    return;
  }
  if (mode_ != Mode::Line) return;
  const uint64_t left = s.total > s.done ? s.total - s.done : 0;
  std::string text = fmt::format("{:<10} {:>8} done {:>8} left  {:>8.0f} cases/s  findings {:<3} target {}",
                                 s.phase, s.done, left, rate, s.findings, s.health);
  if (tty_) {
    fmt::print(line_, "\r{:<100}", text);
  } else if (force) {
    fmt::print(line_, "{}\n", text);
  } else {
    return;
  }
  std::fflush(line_);
  drawn_ = tty_;
}

void Progress::note(const std::string& text) {
  if (mode_ != Mode::Line) return;
  if (drawn_) fmt::print(line_, "\r{:<100}\r", "");
  fmt::print(line_, "{}\n", text);
  std::fflush(line_);
  drawn_ = false;
}

void Progress::event(const nlohmann::json& j) {
  if (mode_ != Mode::Json) return;
  fmt::print(json_, "{}\n", j.dump());
  std::fflush(json_);
}

void Progress::finish() {
  if (mode_ == Mode::Line && drawn_) {
    fmt::print(line_, "\n");
    drawn_ = false;
  }
}

}  // namespace pc::campaign
