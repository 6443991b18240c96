// Test helper: one target server as a real child process. It starts the executable,
// waits for its "listening on ADDRESS:PORT" line, keeps its stderr (sanitizer reports)
// in memory, and kills and reaps the process when it goes out of scope.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pc::targets_test {

struct ExitStatus {
  bool signaled = false;
  int code = 0;  // exit code, or the signal number when signaled
};

class ServerProcess {
 public:
  // Starts `program args...`; throws std::runtime_error (a harness error, not a
  // finding) when it does not print its listening line within `ready_timeout`.
  static ServerProcess start(const std::string& program, const std::vector<std::string>& args,
                             std::chrono::milliseconds ready_timeout = std::chrono::seconds(30));

  ServerProcess(ServerProcess&& other) noexcept;
  ServerProcess& operator=(ServerProcess&&) = delete;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  void send_signal(int signal) const;
  // True while the process has not exited.
  bool running();
  // Waits up to `timeout` for the process to exit.
  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout);
  // SIGTERM, then waits up to `timeout`.
  std::optional<ExitStatus> terminate(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Everything the process wrote to stderr so far.
  std::string stderr_text() const;
  // SIGTERM; true when the process then exits with code 0 and wrote no sanitizer
  // report. Otherwise false, with the reason in `why`.
  bool clean_shutdown(std::string& why);

 private:
  ServerProcess(pid_t pid, int stdout_fd, int stderr_fd);
  bool reap(int options);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::uint16_t port_ = 0;
  std::optional<ExitStatus> exit_;
};

// Runs `program args...` to completion (for --help, --list-defects, usage errors):
// its exit status and everything it wrote to stdout.
struct RunResult {
  ExitStatus status;
  std::string out;
};
RunResult run_program(const std::string& program, const std::vector<std::string>& args);

// The executables under test (from the build).
std::string modbus_ref_program();
std::string libmodbus_server_program();

// Starts pc-modbus-ref on a free loopback port with extra arguments.
ServerProcess start_modbus_ref(const std::vector<std::string>& args = {});

}  // namespace pc::targets_test
