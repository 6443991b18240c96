// A local target process that the campaign starts, watches and restarts (--target-cmd).
// It notices death by signal, exit codes and sanitizer reports, and keeps stderr.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pc::observe {

struct ProcessEvent {
  enum class Kind : uint8_t { Running, Exited, Signalled, NotStarted } kind = Kind::NotStarted;
  int code = 0;                   // exit code or signal number
  bool sanitizer_report = false;  // "ERROR: AddressSanitizer" / "runtime error:" seen on stderr
  std::string report;             // the report text (bounded), for findings
  // "function file:line" of the report's first stack, up to 5, without addresses or
  // directories so that they are stable across runs and builds (see sanitizer_report.hpp).
  std::vector<std::string> top_frames;
};

class ProcessMonitor {
 public:
  // `command` runs under /bin/sh -c in its own process group; `ready_pattern` (e.g.
  // "listening on") in its stdout or stderr means it is ready (empty: ready at once);
  // stdout and stderr are appended to `log_path` (empty: no log) and kept in bounded
  // rings in memory.
  ProcessMonitor(std::string command, std::string ready_pattern, std::string log_path);
  ~ProcessMonitor();  // stops the process (SIGTERM, then SIGKILL)
  ProcessMonitor(const ProcessMonitor&) = delete;
  ProcessMonitor& operator=(const ProcessMonitor&) = delete;

  // Starts it and waits until ready (or the timeout): false with a reason on failure.
  bool start(std::chrono::milliseconds timeout, std::string& error);
  // Non-blocking: is it still running? Fills `event`: Running (with any sanitizer report
  // seen so far), or how it ended (the same event on every later call until start()).
  // A process that ended is reaped, and what is left of its group killed.
  bool alive(ProcessEvent* event = nullptr);
  // Stops and starts again, waiting until ready.
  bool restart(std::chrono::milliseconds timeout, std::string& error);
  // SIGTERM to the group, SIGKILL after the grace period; always reaped.
  void stop();
  // The last lines of stderr (bounded); still there after the process ended.
  std::string stderr_tail(size_t max_bytes = 16384) const;
  std::string stdout_tail(size_t max_bytes = 16384) const;
  // How long stop() waits after SIGTERM before SIGKILL (default 2 s).
  void set_stop_grace(std::chrono::milliseconds grace);
  // What the ready line printed after the pattern (e.g. "127.0.0.1:40123").
  const std::string& ready_text() const;
  // The process being watched (the target itself when the command is one simple command
  // naming an executable, else its shell); -1 when none runs.
  int pid() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs a user hook command (lab power-cycle, log collection) with extra environment
// variables (added to ours, replacing same names), bounded in time. Returns the exit
// code, or -1 when it timed out (its group is killed), died by a signal or did not start.
// `output` gets its stdout and stderr, merged (the last 64 KiB). Anything the hook leaves
// running in its process group is killed when it returns.
int run_hook(const std::string& command,
             const std::vector<std::pair<std::string, std::string>>& env,
             std::chrono::milliseconds timeout, std::string* output = nullptr);

}  // namespace pc::observe
