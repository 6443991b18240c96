// One connected byte stream (a TCP client's or an accepted peer's): sending all bytes,
// and receiving through a FrameCutter into a bounded buffer. Both TCP transports own
// one; it knows nothing of how the connection was made.
#pragma once

#include <string>
#include <vector>

#include "core/posix/unique_fd.hpp"
#include "core/transport/transport.hpp"

namespace pc::transport::detail {

class StreamConnection {
 public:
  StreamConnection(size_t max_buffer, std::chrono::milliseconds send_timeout);

  // Takes a connected, non-blocking socket; forgets everything about the previous one.
  void attach(posix::UniqueFd fd);
  void close();
  bool is_open() const;
  int fd() const { return fd_.get(); }

  Received send(std::span<const uint8_t> bytes);
  Received receive(FrameCutter& cutter, Deadline deadline);
  void drain();
  size_t buffered() const { return buffer_.size(); }

 private:
  enum class Peer : uint8_t { Open, Finished, Reset };

  // Asks the cutter about the buffer: an Answer or Unframed result, or nothing (NeedMore
  // with room left in the buffer).
  bool cut(FrameCutter& cutter, Clock::time_point origin, Received& out);
  // One read into the buffer; false on a local error (in `error`).
  bool read_some(std::string& error);
  Received take_all(Outcome outcome, Clock::time_point origin);
  void note_reset(int error_number);

  size_t max_buffer_;
  std::chrono::milliseconds send_timeout_;
  posix::UniqueFd fd_;
  std::vector<uint8_t> buffer_;
  Peer peer_ = Peer::Open;
  std::string reset_reason_;
  bool sent_ = false;
  Clock::time_point last_send_end_{};
  Clock::time_point first_byte_{};  // when the oldest buffered byte arrived
};

}  // namespace pc::transport::detail
