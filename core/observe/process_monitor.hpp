// A local target process that the campaign starts, watches and restarts (--target-cmd).
// It notices death by signal, exit codes and sanitizer reports, and keeps stderr.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace pc::observe {

struct ProcessEvent {
  enum class Kind : uint8_t { Running, Exited, Signalled, NotStarted } kind = Kind::NotStarted;
  int code = 0;                  // exit code or signal number
  bool sanitizer_report = false; // "ERROR: AddressSanitizer" / "runtime error:" seen on stderr
  std::string report;            // the report text (bounded), for findings
  std::vector<std::string> top_frames;  // "#0 ... in function file:line" of the report, up to 5
};

class ProcessMonitor {
 public:
  // `command` runs under /bin/sh -c; `ready_pattern` (e.g. "listening on") in its stdout
  // or stderr means it is ready; stderr is kept in `log_path` and a bounded ring in memory.
  ProcessMonitor(std::string command, std::string ready_pattern, std::string log_path);
  ~ProcessMonitor();  // stops the process (SIGTERM, then SIGKILL)
  ProcessMonitor(const ProcessMonitor&) = delete;
  ProcessMonitor& operator=(const ProcessMonitor&) = delete;

  // Starts it and waits until ready (or the timeout): false with a reason on failure.
  bool start(std::chrono::milliseconds timeout, std::string& error);
  // Non-blocking: is it still running? Fills `event` when it has ended.
  bool alive(ProcessEvent* event = nullptr);
  // Stops and starts again, waiting until ready.
  bool restart(std::chrono::milliseconds timeout, std::string& error);
  void stop();
  // The last lines of stderr (bounded).
  std::string stderr_tail(size_t max_bytes = 16384) const;
  // What the ready line printed after the pattern (e.g. "127.0.0.1:40123").
  const std::string& ready_text() const;
  int pid() const;

 private:
  struct Impl;
  Impl* impl_;
};

// Runs a user hook command (lab power-cycle, log collection) with extra environment
// variables, bounded in time. Returns the exit code, or -1 when it timed out or failed.
int run_hook(const std::string& command, const std::vector<std::pair<std::string, std::string>>& env,
             std::chrono::milliseconds timeout, std::string* output = nullptr);

}  // namespace pc::observe
