// Reads a child's stdout and stderr on a thread of its own, so a chatty target never
// blocks on a full pipe: appends both to the log file, keeps a bounded tail of each,
// notices the ready line, and keeps the first sanitizer report from stderr.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/observe/detail/tail_buffer.hpp"
#include "core/observe/detail/pipe.hpp"

namespace pc::observe::detail {

class OutputCapture {
 public:
  static constexpr size_t kTailBytes = 256 * 1024;
  static constexpr size_t kReportBytes = 64 * 1024;
  static constexpr size_t kLineBytes = 8 * 1024;

  // Reads the pipes' read ends `out` and `err` until both end or stop() writes to
  // `wake`; `log` may be invalid (no log file). Starts reading at once.
  OutputCapture(posix::UniqueFd out, posix::UniqueFd err, Pipe wake, posix::UniqueFd log, std::string ready_pattern);
  ~OutputCapture();
  OutputCapture(const OutputCapture&) = delete;
  OutputCapture& operator=(const OutputCapture&) = delete;

  enum class Ready : uint8_t { Seen, Ended, Timeout };
  // Until the ready line was seen, both streams ended, or the deadline.
  Ready wait_ready(std::chrono::steady_clock::time_point deadline);
  // Until both streams ended (everyone holding them exited); false at the deadline.
  bool wait_ended(std::chrono::steady_clock::time_point deadline);
  // Stops reading (joins the thread); the tails and the report stay readable.
  void stop();

  std::string ready_text() const;
  std::string stdout_tail(size_t max_bytes) const;
  std::string stderr_tail(size_t max_bytes) const;
  bool has_report() const;
  std::string report() const;

 private:
  struct Stream {
    posix::UniqueFd fd;
    std::string partial_line;
    TailBuffer tail{kTailBytes};
  };

  void run();
  void consume(Stream& stream, bool is_stderr, std::string_view bytes);
  void end_stream(Stream& stream, bool is_stderr);
  void on_line(bool is_stderr, std::string_view line);

  std::string ready_pattern_;
  posix::UniqueFd log_;
  Pipe wake_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Stream out_;
  Stream err_;
  bool ready_ = false;
  bool ended_ = false;
  std::string ready_text_;
  bool report_started_ = false;
  std::string report_;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace pc::observe::detail
