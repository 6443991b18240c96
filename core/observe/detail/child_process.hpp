// Starting a shell command as a child in its own process group, with its stdout and
// stderr on our pipes, and the bounded waits and group kills around it. Shared by the
// process monitor and the hooks.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pc::observe::detail {

using Env = std::vector<std::pair<std::string, std::string>>;

// Runs `/bin/sh -c command` with stdin from /dev/null, stdout on `out_fd` and stderr on
// `err_fd`, no other descriptor, our environment plus `extra_env`, default signal
// dispositions and an empty signal mask, as the leader of a new process group. The pid, or -1 with `error`.
pid_t spawn_shell(const std::string& command, const Env& extra_env, int out_fd, int err_fd,
                  std::string& error);

// A status for a child that waitpid() no longer knows (someone else reaped it).
constexpr int kLostChild = -1;
// waitpid() without blocking past `deadline`: the raw status once the child ended.
std::optional<int> wait_child(pid_t pid, std::chrono::steady_clock::time_point deadline);
// waitpid() until it ends (after SIGKILL).
int wait_child_blocking(pid_t pid);
// Signals every process of the group led by `pid` (ESRCH when none is left is fine).
void signal_group(pid_t pid, int signal);

}  // namespace pc::observe::detail
