#include "core/observe/detail/output_capture.hpp"

#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "core/observe/sanitizer_report.hpp"

namespace pc::observe::detail {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

void write_all(int fd, std::string_view bytes) {
  while (fd >= 0 && !bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;  // a full disk must not stop the capture
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

OutputCapture::OutputCapture(posix::UniqueFd out, posix::UniqueFd err, Pipe wake, posix::UniqueFd log,
                             std::string ready_pattern)
    : ready_pattern_(std::move(ready_pattern)), log_(std::move(log)), wake_(std::move(wake)) {
  out_.fd = std::move(out);
  err_.fd = std::move(err);
  thread_ = std::thread([this] { run(); });
}

OutputCapture::~OutputCapture() {
  stop();
}

void OutputCapture::stop() {
  if (!thread_.joinable()) {
    return;
  }
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_.write.get(), &byte, 1);
  thread_.join();
  out_.fd.reset();
  err_.fd.reset();
}

void OutputCapture::run() {
  std::array<char, 64 * 1024> chunk{};
  for (;;) {
    std::array<pollfd, 3> fds = {pollfd{out_.fd.get(), POLLIN, 0}, pollfd{err_.fd.get(), POLLIN, 0},
                                 pollfd{wake_.read.get(), POLLIN, 0}};
    if (!out_.fd.valid() && !err_.fd.valid()) {
      std::lock_guard lock(mutex_);
      ended_ = true;
      changed_.notify_all();
      return;
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    if (fds[2].revents != 0) {
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[static_cast<size_t>(i)].revents == 0) {
        continue;
      }
      Stream& stream = i == 0 ? out_ : err_;
      const ssize_t n = ::read(stream.fd.get(), chunk.data(), chunk.size());
      if (n > 0) {
        consume(stream, i == 1, std::string_view(chunk.data(), static_cast<size_t>(n)));
      } else if (n == 0 || errno != EINTR) {
        end_stream(stream, i == 1);
      }
    }
  }
}

void OutputCapture::consume(Stream& stream, bool is_stderr, std::string_view bytes) {
  write_all(log_.get(), bytes);
  std::lock_guard lock(mutex_);
  stream.tail.append(bytes);
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const size_t room = kLineBytes - stream.partial_line.size();
    if (newline == std::string_view::npos && bytes.size() < room) {
      stream.partial_line.append(bytes);
      break;
    }
    const size_t take = std::min(newline == std::string_view::npos ? bytes.size() : newline, room);
    stream.partial_line.append(bytes.substr(0, take));
    bytes.remove_prefix(take < bytes.size() && bytes[take] == '\n' ? take + 1 : take);
    on_line(is_stderr, stream.partial_line);
    stream.partial_line.clear();
  }
  changed_.notify_all();
}

void OutputCapture::end_stream(Stream& stream, bool is_stderr) {
  std::lock_guard lock(mutex_);
  if (!stream.partial_line.empty()) {
    on_line(is_stderr, stream.partial_line);  // the last line had no newline
    stream.partial_line.clear();
  }
  stream.fd.reset();
  changed_.notify_all();
}

void OutputCapture::on_line(bool is_stderr, std::string_view line) {
  if (!ready_ && !ready_pattern_.empty()) {
    if (const auto at = line.find(ready_pattern_); at != std::string_view::npos) {
      ready_ = true;
      ready_text_ = std::string(trim(line.substr(at + ready_pattern_.size())));
    }
  }
  if (!is_stderr) {
    return;
  }
  if (!report_started_ && starts_sanitizer_report(line)) {
    report_started_ = true;
  }
  if (report_started_ && report_.size() + line.size() < kReportBytes) {
    report_.append(line);
    report_.push_back('\n');
  }
}

OutputCapture::Ready OutputCapture::wait_ready(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [this] { return ready_ || ended_; });
  return ready_ ? Ready::Seen : ended_ ? Ready::Ended : Ready::Timeout;
}

bool OutputCapture::wait_ended(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [this] { return ended_; });
}

std::string OutputCapture::ready_text() const {
  std::lock_guard lock(mutex_);
  return ready_text_;
}

std::string OutputCapture::stdout_tail(size_t max_bytes) const {
  std::lock_guard lock(mutex_);
  return out_.tail.tail(max_bytes);
}

std::string OutputCapture::stderr_tail(size_t max_bytes) const {
  std::lock_guard lock(mutex_);
  return err_.tail.tail(max_bytes);
}

bool OutputCapture::has_report() const {
  std::lock_guard lock(mutex_);
  return report_started_;
}

std::string OutputCapture::report() const {
  std::lock_guard lock(mutex_);
  return report_;
}

}  // namespace pc::observe::detail
