// Shared helpers of the process monitor tests: waiting for a condition with a bound,
// zombie and descriptor checks, temporary files.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "core/observe/process_monitor.hpp"

namespace pc::observe::test {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

inline milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Polls alive() until the process ended or `timeout` passed; the event either way.
inline ProcessEvent wait_for_end(ProcessMonitor& monitor, milliseconds timeout) {
  ProcessEvent event;
  const auto deadline = Clock::now() + timeout;
  while (monitor.alive(&event) && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  return event;
}

// The pid is neither running nor a zombie of ours.
inline bool gone(int pid) {
  errno = 0;
  const bool not_our_child = ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
  errno = 0;
  const bool no_process = ::kill(pid, 0) == -1 && errno == ESRCH;
  return not_our_child && no_process;
}

// A process that is not ours has ended: gone, or a zombie waiting for its new parent.
inline bool ended(int pid) {
  if (::kill(pid, 0) != 0) {
    return true;
  }
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

// Waits up to `timeout` for ended(pid).
inline bool ends_within(int pid, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!ended(pid) && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  return ended(pid);
}

inline size_t open_descriptors() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count;
}

inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("pc-observe-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

// No core files from the signal tests.
inline void no_core_dumps() {
  const rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
}

}  // namespace pc::observe::test
