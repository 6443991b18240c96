// The essential-function monitor: while a storm runs, it reads a process value the user
// names at a fixed cycle (e.g. a register every 100 ms) and records each cycle as on
// time, late, wrong or missed. That record, not "it survived", is what an assessor reads
// for CR 7.1: how much load, which function, how degraded, how long to recover.
//
//   on time  a correct answer within the late bound (set from the baseline: the shared
//            thresholds' latency factor x the baseline p99, at least min_deadline)
//   late     a correct answer after the late bound, before the miss bound (max_latency)
//   wrong    a refusal (exception), an answer of another type, a value outside the
//            declared range, or a value unchanged for `moves_within` cycles when the
//            process should move it
//   missed   no answer by the miss bound, a closed or refused connection, or a cycle
//            that never started because the previous one was still waiting
//
// The channel (essential_channel.hpp) says how a cycle reads the value: a connection
// opened before the storm, a connection to another address or port, or a user command.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/availability/essential_channel.hpp"

namespace pc::availability {

struct EssentialSpec {
  std::string message;  // request message type ("" = the model's probe)
  std::vector<std::pair<std::string, int64_t>> set;  // its field values ("" message: the probe's)
  std::string value;    // the answer field that carries the process value ("" = none checked)
  std::optional<std::pair<int64_t, int64_t>> range;  // the value's declared range
  uint32_t moves_within = 0;  // the value must change within this many cycles (0: not checked)
  std::chrono::milliseconds period{100};
  std::string channel = "connection";  // connection | tcp://HOST:PORT | cmd:COMMAND
};

enum class CycleStatus : uint8_t { OnTime, Late, Wrong, Missed };
const char* to_string(CycleStatus s);  // on-time, late, wrong, missed
std::optional<CycleStatus> cycle_status_from(std::string_view name);

struct Cycle {
  int64_t t_ms = 0;          // when the cycle was due, since the run started
  uint32_t latency_us = 0;   // send to answer (0 when there was none)
  CycleStatus status = CycleStatus::Missed;
  std::optional<int64_t> value;
  std::string why;           // wrong and missed: what happened
};

class EssentialMonitor {
 public:
  EssentialMonitor(std::unique_ptr<Channel> channel, const EssentialSpec& spec,
                   std::chrono::steady_clock::time_point run_start);
  ~EssentialMonitor();
  EssentialMonitor(const EssentialMonitor&) = delete;
  EssentialMonitor& operator=(const EssentialMonitor&) = delete;

  // Opens the channel and starts cycling. False and the reason when the channel cannot open.
  bool start(std::string& error);
  void stop();
  // The late bound (from the baseline) and the miss bound.
  void set_bounds(std::chrono::microseconds late_after, std::chrono::milliseconds miss_after);

  size_t size() const;
  std::vector<Cycle> since(size_t index) const;
  // Cycles due in [from_ms, to_ms).
  std::vector<Cycle> between(int64_t from_ms, int64_t to_ms) const;
  int64_t now_ms() const;  // since the run started
  int64_t latest_due_ms() const;  // the last recorded cycle's due time (-1: none yet)
  std::string channel_text() const { return channel_->describe(); }
  const EssentialSpec& spec() const { return spec_; }

 private:
  void loop();
  Cycle judge(const Reading& r, int64_t due_ms);

  std::unique_ptr<Channel> channel_;
  EssentialSpec spec_;
  std::chrono::steady_clock::time_point run_start_;
  std::atomic<int64_t> late_after_us_{100000};
  std::atomic<int64_t> miss_after_ms_{2000};
  std::optional<int64_t> last_value_;
  uint32_t unchanged_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<Cycle> cycles_;
  std::thread thread_;
};

}  // namespace pc::availability
