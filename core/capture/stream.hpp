// What a capture becomes: one reassembled byte Stream per flow direction.
//
// A Stream holds the application bytes one side sent, in order, without
// duplicates. `chunks` say which captured frame contributed which bytes (so a
// decoder can name the frame a message came from and see segment or datagram
// boundaries); `gaps` say where bytes the sender sent are missing from the
// capture. Gap bytes are NOT filled in: `bytes` only ever holds captured data,
// so its size is bounded by the input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc::capture {

/// Capture time of a frame (UTC, seconds + nanoseconds since the epoch).
struct Timestamp {
  std::int64_t seconds = 0;
  std::uint32_t nanoseconds = 0;  ///< 0 .. 999'999'999

  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

/// How the bytes of a stream travelled.
enum class Transport {
  tcp,   ///< reassembled TCP byte stream
  udp,   ///< concatenated UDP payloads, one chunk per datagram
  link,  ///< raw link-layer frames (e.g. frames of a serial line in a USER0 capture), one chunk per frame
};

const char* to_string(Transport transport);

/// One end of a flow. `address` is dotted IPv4 or RFC 5952 IPv6 text; empty
/// (and port 0) for link-layer streams, which have no addresses.
struct Endpoint {
  std::string address;
  std::uint16_t port = 0;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

/// Bytes of one captured frame that became part of a stream.
struct Chunk {
  std::uint64_t offset = 0;  ///< position in Stream::bytes
  std::uint64_t size = 0;    ///< may be 0 for an empty UDP datagram or link frame
  std::uint64_t frame = 0;   ///< 1-based record number in the capture file
  Timestamp time;
};

/// Bytes the sender sent that are not in the capture (a lost segment).
struct Gap {
  std::uint64_t offset = 0;  ///< position in Stream::bytes where they would have been
  std::uint64_t length = 0;  ///< number of missing bytes
};

/// Which end of a TCP connection sent this stream, if the handshake was seen.
enum class Role {
  unknown,    ///< no SYN seen (capture started mid-connection), or not TCP
  initiator,  ///< this side sent the SYN
  responder,  ///< the other side sent the SYN
};

/// One direction of one flow.
struct Stream {
  std::uint32_t flow_id = 0;  ///< shared by the two directions of a flow; 0-based
  Transport transport = Transport::tcp;
  Endpoint source;
  Endpoint destination;
  Role role = Role::unknown;

  std::vector<std::uint8_t> bytes;
  std::vector<Chunk> chunks;  ///< in stream order; they tile `bytes` exactly
  std::vector<Gap> gaps;      ///< in stream order

  std::uint64_t frames = 0;  ///< frames seen in this direction (with or without data)
  /// TCP payload bytes dropped because the stream already had them (retransmissions,
  /// overlaps) or because they lie before the stream's first sequence number.
  std::uint64_t duplicate_bytes = 0;
};

/// The chunk holding stream offset `offset` (for "which frame did this message
/// start in"), or nullptr when `offset` is past the end. Binary search.
const Chunk* chunk_at(const Stream& stream, std::uint64_t offset);

/// Counts of frames the reader saw but did not turn into stream bytes.
struct ReadStats {
  std::uint64_t frames = 0;            ///< records in the file
  std::uint64_t not_ip = 0;            ///< e.g. ARP, STP
  std::uint64_t other_protocol = 0;    ///< IP but neither TCP nor UDP (ICMP, ...)
  std::uint64_t malformed = 0;         ///< headers cut short or inconsistent
  std::uint64_t fragments = 0;         ///< IP fragments received
  std::uint64_t reassembled = 0;       ///< datagrams rebuilt from fragments
  std::uint64_t fragments_dropped = 0; ///< fragments never completed or rejected
};

/// Everything read from one capture file.
struct Capture {
  int link_type = 0;            ///< LINKTYPE_* value of the file
  std::vector<Stream> streams;  ///< in order of first appearance
  ReadStats stats;
  std::string trailing_error;   ///< non-empty when the file ended in a broken record
};

}  // namespace pc::capture
