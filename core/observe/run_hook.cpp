// User hooks (power-cycle a lab device, collect its logs): a shell command with extra
// environment variables, its output read and bounded, killed with its group on timeout.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <cerrno>

#include "core/observe/detail/child_process.hpp"
#include "core/observe/detail/tail_buffer.hpp"
#include "core/observe/detail/pipe.hpp"
#include "core/observe/process_monitor.hpp"

namespace pc::observe {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kOutputBytes = 64 * 1024;
constexpr auto kSlice = std::chrono::milliseconds(20);

// Reads what is there within `until`; false once the pipe has ended.
bool read_output(int fd, SteadyClock::time_point until, detail::TailBuffer& output) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now());
  pollfd entry{fd, POLLIN, 0};
  const int n = ::poll(&entry, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
  if (n <= 0) {
    return true;
  }
  std::array<char, 4096> chunk{};
  const ssize_t got = ::read(fd, chunk.data(), chunk.size());
  if (got > 0) {
    output.append(std::string_view(chunk.data(), static_cast<size_t>(got)));
    return true;
  }
  return got < 0 && errno == EINTR;
}

}  // namespace

int run_hook(const std::string& command,
             const std::vector<std::pair<std::string, std::string>>& env,
             std::chrono::milliseconds timeout, std::string* output) {
  const auto deadline = SteadyClock::now() + timeout;
  detail::Pipe pipe;
  if (!detail::make_pipe(pipe)) {
    return -1;
  }
  std::string error;
  const pid_t pid = detail::spawn_shell(command, env, pipe.write.get(), pipe.write.get(), error);
  pipe.write.reset();
  if (pid < 0) {
    if (output != nullptr) {
      *output = error;
    }
    return -1;
  }
  detail::TailBuffer captured(kOutputBytes);
  bool open = true;
  std::optional<int> status;
  while (SteadyClock::now() < deadline) {
    if (open) {
      open =
          read_output(pipe.read.get(), std::min(deadline, SteadyClock::now() + kSlice), captured);
    }
    status = detail::wait_child(
        pid, open ? SteadyClock::now() : std::min(deadline, SteadyClock::now() + kSlice));
    if (status) {
      // The hook ended: take what its output still holds, without waiting for anything
      // it left running (killed below with its group).
      while (open) {
        pollfd entry{pipe.read.get(), POLLIN, 0};
        if (::poll(&entry, 1, 0) <= 0) {
          break;
        }
        open = read_output(pipe.read.get(), SteadyClock::now(), captured);
      }
      break;
    }
  }
  detail::signal_group(pid, SIGKILL);
  if (!status) {
    detail::wait_child_blocking(pid);
  }
  if (output != nullptr) {
    *output = captured.tail(kOutputBytes);
  }
  if (!status || *status == detail::kLostChild || !WIFEXITED(*status)) {
    return -1;
  }
  return WEXITSTATUS(*status);
}

}  // namespace pc::observe
