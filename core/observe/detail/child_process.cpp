#include "core/observe/detail/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include "core/observe/detail/pipe.hpp"

extern char** environ;

namespace pc::observe::detail {

bool make_pipe(Pipe& out) {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return false;
  }
  out.read = posix::UniqueFd(fds[0]);
  out.write = posix::UniqueFd(fds[1]);
  return true;
}

namespace {

std::vector<std::string> merged_environment(const Env& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    bool replaced = false;
    for (const auto& [key, value] : extra) {
      replaced = replaced || key == name;
    }
    if (!replaced) {
      entries.emplace_back(text);
    }
  }
  for (const auto& [key, value] : extra) {
    entries.push_back(key + "=" + value);
  }
  return entries;
}

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct SpawnSetup {
  posix_spawnattr_t attr{};
  posix_spawn_file_actions_t actions{};
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

pid_t spawn_shell(const std::string& command, const Env& extra_env, int out_fd, int err_fd,
                  std::string& error) {
  SpawnSetup setup;
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setsigdefault(&setup.attr, &all);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err_fd, 2);
  // Nothing else of ours reaches the child, close-on-exec or not.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);

  std::vector<std::string> env = merged_environment(extra_env);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (std::string& entry : env) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  std::string shell = "/bin/sh";
  std::string flag = "-c";
  std::string text = command;
  std::array<char*, 4> argv = {shell.data(), flag.data(), text.data(), nullptr};

  pid_t pid = -1;
  const int rc =
      ::posix_spawn(&pid, shell.c_str(), &setup.actions, &setup.attr, argv.data(), envp.data());
  if (rc != 0) {
    error = std::string("cannot start /bin/sh: ") + std::strerror(rc);
    return -1;
  }
  return pid;
}

std::optional<int> wait_child(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    int status = 0;
    const pid_t rc = ::waitpid(pid, &status, WNOHANG);
    if (rc == pid) {
      return status;
    }
    if (rc < 0 && errno != EINTR) {
      return kLostChild;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

int wait_child_blocking(pid_t pid) {
  for (;;) {
    int status = 0;
    const pid_t rc = ::waitpid(pid, &status, 0);
    if (rc == pid) {
      return status;
    }
    if (rc < 0 && errno != EINTR) {
      return kLostChild;
    }
  }
}

void signal_group(pid_t pid, int signal) {
  if (pid > 0) {
    ::kill(-pid, signal);
  }
}

}  // namespace pc::observe::detail
