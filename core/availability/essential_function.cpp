#include "core/availability/essential_function.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pc::availability {

const char* to_string(CycleStatus s) {
  switch (s) {
    case CycleStatus::OnTime: return "on-time";
    case CycleStatus::Late: return "late";
    case CycleStatus::Wrong: return "wrong";
    case CycleStatus::Missed: return "missed";
  }
  return "missed";
}

std::optional<CycleStatus> cycle_status_from(std::string_view name) {
  for (auto s : {CycleStatus::OnTime, CycleStatus::Late, CycleStatus::Wrong, CycleStatus::Missed}) {
    if (name == to_string(s)) return s;
  }
  return std::nullopt;
}

EssentialMonitor::EssentialMonitor(std::unique_ptr<Channel> channel, const EssentialSpec& spec,
                                   std::chrono::steady_clock::time_point run_start)
    : channel_(std::move(channel)), spec_(spec), run_start_(run_start) {}

EssentialMonitor::~EssentialMonitor() { stop(); }

bool EssentialMonitor::start(std::string& error) {
  if (!channel_->open(error)) return false;
  thread_ = std::thread([this] { loop(); });
  return true;
}

void EssentialMonitor::stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EssentialMonitor::set_bounds(std::chrono::microseconds late_after, std::chrono::milliseconds miss_after) {
  late_after_us_ = late_after.count();
  miss_after_ms_ = miss_after.count();
}

int64_t EssentialMonitor::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - run_start_).count();
}

int64_t EssentialMonitor::latest_due_ms() const {
  std::lock_guard<std::mutex> l(mu_);
  return cycles_.empty() ? -1 : cycles_.back().t_ms;
}

size_t EssentialMonitor::size() const {
  std::lock_guard<std::mutex> l(mu_);
  return cycles_.size();
}

std::vector<Cycle> EssentialMonitor::since(size_t index) const {
  std::lock_guard<std::mutex> l(mu_);
  if (index >= cycles_.size()) return {};
  return {cycles_.begin() + static_cast<std::ptrdiff_t>(index), cycles_.end()};
}

std::vector<Cycle> EssentialMonitor::between(int64_t from_ms, int64_t to_ms) const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<Cycle> out;
  for (const auto& c : cycles_) {
    if (c.t_ms >= from_ms && c.t_ms < to_ms) out.push_back(c);
  }
  return out;
}

Cycle EssentialMonitor::judge(const Reading& r, int64_t due_ms) {
  Cycle c;
  c.t_ms = due_ms;
  c.latency_us = r.latency_us;
  c.value = r.value;
  switch (r.kind) {
    case Reading::Kind::NoAnswer:
    case Reading::Kind::Lost:
      c.status = CycleStatus::Missed;
      c.why = r.detail;
      return c;
    case Reading::Kind::Refusal:
    case Reading::Kind::Unexpected:
      c.status = CycleStatus::Wrong;
      c.why = r.detail;
      return c;
    case Reading::Kind::Answer: break;
  }
  c.status = CycleStatus::OnTime;
  if (r.value && spec_.range && (*r.value < spec_.range->first || *r.value > spec_.range->second)) {
    c.status = CycleStatus::Wrong;
    c.why = fmt::format("{} is outside {}..{}", *r.value, spec_.range->first, spec_.range->second);
  }
  if (r.value && spec_.moves_within > 0) {
    unchanged_ = last_value_ && *last_value_ == *r.value ? unchanged_ + 1 : 0;
    last_value_ = r.value;
    if (unchanged_ >= spec_.moves_within && c.status == CycleStatus::OnTime) {
      c.status = CycleStatus::Wrong;
      c.why = fmt::format("unchanged for {} cycles", unchanged_);
    }
  }
  if (c.status == CycleStatus::OnTime && static_cast<int64_t>(r.latency_us) > late_after_us_.load()) {
    c.status = CycleStatus::Late;
  }
  return c;
}

void EssentialMonitor::loop() {
  const auto period = spec_.period;
  auto next = std::chrono::steady_clock::now();
  auto due_ms = [&](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - run_start_).count();
  };
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    if (cv_.wait_until(l, next, [&] { return stop_; })) break;
    l.unlock();
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + std::chrono::milliseconds(miss_after_ms_.load());
    Reading r = channel_->read(deadline);
    Cycle c = judge(r, due_ms(next));
    const auto done = std::chrono::steady_clock::now();
    std::vector<Cycle> skipped;
    next += period;
    // slots that passed while this cycle waited never started: missed
    while (next + period <= done) {
      Cycle m;
      m.t_ms = due_ms(next);
      m.status = CycleStatus::Missed;
      m.why = "skipped: the previous cycle was still waiting";
      skipped.push_back(m);
      next += period;
    }
    l.lock();
    cycles_.push_back(std::move(c));
    for (auto& m : skipped) cycles_.push_back(std::move(m));
  }
}

}  // namespace pc::availability
