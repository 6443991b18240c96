// The process monitor: one child at a time, its output read by an OutputCapture, its
// end decoded into a ProcessEvent. Every path that ends a child reaps it and kills what
// is left of its process group, so no zombie and no stray descendant outlives a run.
#include "core/observe/process_monitor.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/observe/detail/child_process.hpp"
#include "core/observe/detail/output_capture.hpp"
#include "core/observe/sanitizer_report.hpp"
#include "core/observe/shell_command.hpp"

namespace pc::observe {

namespace {

using SteadyClock = std::chrono::steady_clock;

// After the child ended, how long its output may take to arrive in full.
constexpr auto kOutputSettle = std::chrono::seconds(2);
constexpr auto kReadyPoll = std::chrono::milliseconds(50);

}  // namespace

struct ProcessMonitor::Impl {
  std::string command;
  std::string ready_pattern;
  std::string log_path;
  std::chrono::milliseconds grace{2000};
  pid_t pid = -1;
  bool via_shell = false;  // the shell stays the parent of the command
  std::unique_ptr<detail::OutputCapture> capture;
  std::string ready_text;
  ProcessEvent last;

  bool spawn(std::string& error);
  void finish(int status);
  void fill_report(ProcessEvent& event) const;
};

bool ProcessMonitor::Impl::spawn(std::string& error) {
  detail::Pipe out;
  detail::Pipe err;
  detail::Pipe wake;
  if (!detail::make_pipe(out) || !detail::make_pipe(err) || !detail::make_pipe(wake)) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  posix::UniqueFd log;
  if (!log_path.empty()) {
    log =
        posix::UniqueFd(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!log.valid()) {
      error = "cannot open log " + log_path + ": " + std::strerror(errno);
      return false;
    }
  }
  std::string form = shell_form(command);
  via_shell = form == command;
  // The target dies with us, even when we are killed outright (SIGKILL leaves no chance
  // to stop it): setpriv sets the parent-death signal, then executes the command.
  if (!via_shell && ::access("/usr/bin/setpriv", X_OK) == 0) {
    form = "exec /usr/bin/setpriv --pdeathsig KILL -- " + form.substr(5);
  }
  pid = detail::spawn_shell(form, {}, out.write.get(), err.write.get(), error);
  if (pid < 0) {
    return false;
  }
  // Our copies of the write ends close here: the streams end when the group's do.
  capture = std::make_unique<detail::OutputCapture>(std::move(out.read), std::move(err.read),
                                                    std::move(wake), std::move(log), ready_pattern);
  last = ProcessEvent{};
  last.kind = ProcessEvent::Kind::Running;
  ready_text.clear();
  return true;
}

void ProcessMonitor::Impl::fill_report(ProcessEvent& event) const {
  if (capture && capture->has_report()) {
    event.sanitizer_report = true;
    event.report = capture->report();
    event.top_frames = top_frames(event.report);
  }
}

void ProcessMonitor::Impl::finish(int status) {
  detail::signal_group(pid, SIGKILL);  // whatever the command left behind
  if (capture) {
    capture->wait_ended(SteadyClock::now() + kOutputSettle);
    capture->stop();
  }
  ProcessEvent event;
  if (status == detail::kLostChild) {
    event.kind = ProcessEvent::Kind::Exited;
    event.code = -1;
  } else if (WIFSIGNALED(status)) {
    event.kind = ProcessEvent::Kind::Signalled;
    event.code = WTERMSIG(status);
  } else {
    event.kind = ProcessEvent::Kind::Exited;
    event.code = WEXITSTATUS(status);
    // A shell reports a command killed by signal N as exit status 128 + N.
    if (via_shell && event.code > 128 && event.code <= 128 + SIGRTMAX) {
      event.kind = ProcessEvent::Kind::Signalled;
      event.code -= 128;
    }
  }
  fill_report(event);
  last = std::move(event);
  pid = -1;
}

ProcessMonitor::ProcessMonitor(std::string command, std::string ready_pattern, std::string log_path)
    : impl_(std::make_unique<Impl>()) {
  impl_->command = std::move(command);
  impl_->ready_pattern = std::move(ready_pattern);
  impl_->log_path = std::move(log_path);
}

ProcessMonitor::~ProcessMonitor() {
  stop();
}

bool ProcessMonitor::start(std::chrono::milliseconds timeout, std::string& error) {
  if (impl_->pid >= 0) {
    error = "already running (pid " + std::to_string(impl_->pid) + ")";
    return false;
  }
  const auto deadline = SteadyClock::now() + timeout;
  if (!impl_->spawn(error)) {
    return false;
  }
  if (impl_->ready_pattern.empty()) {
    return true;
  }
  for (;;) {
    const auto slice = std::min(deadline, SteadyClock::now() + kReadyPoll);
    const auto ready = impl_->capture->wait_ready(slice);
    if (ready == detail::OutputCapture::Ready::Seen) {
      impl_->ready_text = impl_->capture->ready_text();
      return true;
    }
    if (ready == detail::OutputCapture::Ready::Ended) {
      std::this_thread::sleep_until(slice);  // it closed its output but may still run
    }
    ProcessEvent event;
    if (!alive(&event)) {
      error = "exited before printing '" + impl_->ready_pattern + "' (" +
              (event.kind == ProcessEvent::Kind::Signalled ? "signal " : "exit code ") +
              std::to_string(event.code) + "): " + stderr_tail(2048);
      return false;
    }
    if (SteadyClock::now() >= deadline) {
      stop();
      error = "did not print '" + impl_->ready_pattern + "' within " +
              std::to_string(timeout.count()) + " ms: " + stderr_tail(2048);
      return false;
    }
  }
}

bool ProcessMonitor::alive(ProcessEvent* event) {
  if (impl_->pid < 0) {
    if (event != nullptr) {
      *event = impl_->last;
    }
    return false;
  }
  if (const auto status = detail::wait_child(impl_->pid, SteadyClock::now())) {
    impl_->finish(*status);
    if (event != nullptr) {
      *event = impl_->last;
    }
    return false;
  }
  if (event != nullptr) {
    *event = ProcessEvent{};
    event->kind = ProcessEvent::Kind::Running;
    impl_->fill_report(*event);
  }
  return true;
}

bool ProcessMonitor::restart(std::chrono::milliseconds timeout, std::string& error) {
  stop();
  return start(timeout, error);
}

void ProcessMonitor::stop() {
  if (impl_->pid < 0) {
    return;
  }
  detail::signal_group(impl_->pid, SIGTERM);
  auto status = detail::wait_child(impl_->pid, SteadyClock::now() + impl_->grace);
  if (!status) {
    detail::signal_group(impl_->pid, SIGKILL);
    status = detail::wait_child_blocking(impl_->pid);
  }
  impl_->finish(*status);
}

std::string ProcessMonitor::stderr_tail(size_t max_bytes) const {
  return impl_->capture ? impl_->capture->stderr_tail(max_bytes) : std::string();
}

std::string ProcessMonitor::stdout_tail(size_t max_bytes) const {
  return impl_->capture ? impl_->capture->stdout_tail(max_bytes) : std::string();
}

void ProcessMonitor::set_stop_grace(std::chrono::milliseconds grace) {
  impl_->grace = grace;
}

const std::string& ProcessMonitor::ready_text() const {
  return impl_->ready_text;
}

int ProcessMonitor::pid() const {
  return impl_->pid;
}

}  // namespace pc::observe
