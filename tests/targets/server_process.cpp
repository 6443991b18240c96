#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace pc::targets_test {
namespace {

using Clock = std::chrono::steady_clock;

// Reads stdout until the first newline or the deadline; empty when none came.
std::string read_line(int fd, Clock::time_point deadline) {
  std::string line;
  while (Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd watch{fd, POLLIN, 0};
    if (::poll(&watch, 1, static_cast<int>(left) + 1) <= 0) {
      continue;
    }
    char c = 0;
    if (::read(fd, &c, 1) != 1) {
      break;  // EOF: the process died before it was ready
    }
    if (c == '\n') {
      return line;
    }
    line.push_back(c);
  }
  return {};
}

}  // namespace

ServerProcess::ServerProcess(pid_t pid, int stdout_fd, int stderr_fd)
    : pid_(pid), stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdout_fd_(std::exchange(other.stdout_fd_, -1)),
      stderr_fd_(std::exchange(other.stderr_fd_, -1)),
      port_(other.port_),
      exit_(other.exit_) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !exit_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
  }
  if (stderr_fd_ >= 0) {
    ::close(stderr_fd_);
  }
}

ServerProcess ServerProcess::start(const std::string& program, const std::vector<std::string>& args,
                                   std::chrono::milliseconds ready_timeout) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  const int err = ::memfd_create("target-stderr", MFD_CLOEXEC);
  std::vector<std::string> argv_storage{program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err);
    throw std::runtime_error("cannot start " + program);
  }
  ServerProcess process(pid, out[0], err);
  const std::string line = read_line(out[0], Clock::now() + ready_timeout);
  const auto colon = line.rfind(':');
  if (line.rfind("listening on ", 0) != 0 || colon == std::string::npos) {
    throw std::runtime_error("server did not become ready: '" + line + "'\n" +
                             process.stderr_text());
  }
  process.port_ = static_cast<std::uint16_t>(std::stoul(line.substr(colon + 1)));
  return process;
}

void ServerProcess::send_signal(int signal) const {
  if (pid_ > 0 && !exit_) {
    ::kill(pid_, signal);
  }
}

bool ServerProcess::reap(int options) {
  if (exit_) {
    return true;
  }
  int status = 0;
  if (::waitpid(pid_, &status, options) != pid_) {
    return false;
  }
  ExitStatus result;
  result.signaled = WIFSIGNALED(status);
  result.code = result.signaled ? WTERMSIG(status) : WEXITSTATUS(status);
  exit_ = result;
  return true;
}

bool ServerProcess::running() {
  return !reap(WNOHANG);
}

std::optional<ExitStatus> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!reap(WNOHANG)) {
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_;
}

std::optional<ExitStatus> ServerProcess::terminate(std::chrono::milliseconds timeout) {
  send_signal(SIGTERM);
  return wait_exit(timeout);
}

std::string ServerProcess::stderr_text() const {
  std::string text;
  char chunk[4096];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(stderr_fd_, chunk, sizeof chunk, offset);
    if (n <= 0) {
      return text;
    }
    text.append(chunk, static_cast<std::size_t>(n));
    offset += n;
  }
}

bool ServerProcess::clean_shutdown(std::string& why) {
  const auto status = terminate();
  const std::string err = stderr_text();
  if (!status) {
    why = "did not exit after SIGTERM";
  } else if (status->signaled || status->code != 0) {
    why = (status->signaled ? "killed by signal " : "exit code ") + std::to_string(status->code);
  } else if (err.find("Sanitizer") != std::string::npos ||
             err.find("runtime error") != std::string::npos) {
    why = "sanitizer report";
  } else {
    return true;
  }
  why += "\n" + err;
  return false;
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  std::vector<std::string> argv_storage{program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    throw std::runtime_error("cannot start " + program);
  }
  RunResult result;
  char chunk[4096];
  ssize_t n = 0;
  while ((n = ::read(out[0], chunk, sizeof chunk)) > 0) {
    result.out.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.status.signaled = WIFSIGNALED(status);
  result.status.code = result.status.signaled ? WTERMSIG(status) : WEXITSTATUS(status);
  return result;
}

std::string modbus_ref_program() {
  return PC_MODBUS_REF_EXE;
}
std::string libmodbus_server_program() {
  return PC_LIBMODBUS_SERVER_EXE;
}

ServerProcess start_modbus_ref(const std::vector<std::string>& args) {
  std::vector<std::string> all{"--port", "0"};
  all.insert(all.end(), args.begin(), args.end());
  return ServerProcess::start(modbus_ref_program(), all);
}

}  // namespace pc::targets_test
