// Transport: moves bytes to and from a target and says what the connection did. It knows
// no field: message boundaries come from a FrameCutter the caller supplies (the model's
// framer), so one transport serves every protocol.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace pc::transport {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// What happened when we waited for an answer (docs/transport.md has the full table).
enum class Outcome : uint8_t {
  Answer,    // one framed message arrived (bytes)
  Unframed,  // bytes arrived that do not frame as a message (bytes hold them)
  Silence,   // nothing framed by the deadline; the connection is still open (bytes: a
             // copy of a partial message, which stays buffered)
  Closed,    // the peer closed (FIN); bytes may hold a partial message
  Reset,     // the peer reset the connection (RST)
  Refused,   // connecting was refused or timed out
  Error,     // a local error (no descriptors, no ports): a harness error, never a finding
};
const char* to_string(Outcome o);

struct Received {
  Outcome outcome = Outcome::Silence;
  std::vector<uint8_t> bytes;
  uint32_t latency_us = 0;  // from the end of the last send to the first byte (or the event)
  std::string error;        // Error: what failed
};

// Where the target is: tcp://host:port or udp://host:port. A name is resolved once and
// the address pinned.
struct Address {
  enum class Kind : uint8_t { Tcp, Udp } kind = Kind::Tcp;
  std::string host;      // as given
  std::string resolved;  // numeric address used for every connection
  uint16_t port = 0;
  bool loopback() const;  // 127.0.0.0/8 or ::1
  std::string text() const;
};
// Parses and resolves; an error message on failure.
bool parse_address(const std::string& text, Address& out, std::string& error);

// Message boundaries in a byte stream (an adapter over the model's framer).
class FrameCutter {
 public:
  virtual ~FrameCutter() = default;
  struct Cut {
    enum class Kind : uint8_t { Message, NeedMore, Junk } kind = Kind::NeedMore;
    uint32_t size = 0;  // Message: its size; Junk: bytes to drop (0: all that arrived)
  };
  virtual Cut next(std::span<const uint8_t> data) = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Connects (a client) or waits for a peer (a listener), by the deadline: Answer when
  // connected, Refused (the target refused or did not answer), Silence (a listener saw
  // no peer by the deadline) or Error (a local failure).
  virtual Received open(Deadline deadline) = 0;
  virtual bool is_open() const = 0;
  // Sends all bytes; Outcome::Answer on success, or what stopped it (Reset, Closed, Error;
  // Silence when the peer stopped reading; Refused for UDP after a port unreachable).
  virtual Received send(std::span<const uint8_t> bytes) = 0;
  // Waits for one message, the peer closing, or the deadline. Bytes after a message stay
  // buffered for the next call.
  virtual Received receive(FrameCutter& cutter, Deadline deadline) = 0;
  // Drops anything buffered or waiting in the socket (after a case, before the next).
  virtual void drain() = 0;
  virtual void close() = 0;

  // Bytes received and kept for the next receive() (bounded by the buffer cap).
  virtual size_t buffered() const { return 0; }
  // "ADDRESS:PORT" of our end (a listener: where it listens), and of the peer; empty
  // when unknown or not connected.
  virtual std::string local_address() const { return {}; }
  virtual std::string peer_address() const { return {}; }
};

struct TcpOptions {
  std::chrono::milliseconds connect_timeout{2000};
  bool no_delay = true;
  std::string source_address;  // bind locally first (spreading source addresses over 127/8)
  // A send that cannot hand all its bytes to the kernel within this (the peer reads
  // nothing and both windows are full) stops with Outcome::Silence.
  std::chrono::milliseconds send_timeout{5000};
  // The receive buffer never grows past this: a peer that streams without framing
  // yields Unframed chunks of at most this size.
  size_t max_buffer = size_t{1} << 20;
};

std::unique_ptr<Transport> make_tcp_client(const Address& target, TcpOptions options = {});
std::unique_ptr<Transport> make_udp_client(const Address& target);
// Listens on `local` at once (port 0 picks a free one: see local_address()); open()
// accepts one peer, and a later open() drops it and accepts the next. Of the options,
// no_delay, send_timeout and max_buffer apply.
std::unique_ptr<Transport> make_tcp_listener(const Address& local, TcpOptions options = {});

}  // namespace pc::transport
