// A well-formed TCP connection written into a PcapWriter, segment by segment.
//
// open() writes the three-way handshake (SYN with an MSS option, SYN-ACK, ACK).
// send() writes one side's payload as data segments of at most `mss` bytes with
// correct sequence and acknowledgement numbers and checksums; the receiving
// side acknowledges as a delayed-ACK stack would: after every second segment,
// before the sender sends again, or piggybacked on its own next data. close()
// writes an orderly FIN/ACK, FIN/ACK, ACK teardown. Every frame takes its time
// from the conversation's FrameClock, so output is deterministic by default.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "core/capture/frame_clock.hpp"
#include "core/capture/ip_address.hpp"
#include "core/capture/pcap_writer.hpp"
#include "core/capture/result.hpp"
#include "core/capture/stream.hpp"

namespace pc::capture {

enum class Side { client, server };

struct TcpConversationOptions {
  std::uint16_t mss = 1460;               ///< largest payload per segment, 1 .. 65000
  std::uint32_t client_isn = 0x1000'0000;  ///< initial sequence numbers
  std::uint32_t server_isn = 0x2000'0000;
  std::uint16_t window = 65535;           ///< advertised by both sides (no scaling)
  FrameClock clock;                       ///< time of each written frame
};

class TcpConversation {
 public:
  /// Check the endpoints (same IP family, parsable) and write the handshake.
  /// `writer` must be an Ethernet writer that outlives the conversation.
  static Result<TcpConversation> open(PcapWriter& writer, const Endpoint& client,
                                      const Endpoint& server, TcpConversationOptions options = {});

  /// Write `payload` from one side (nothing for an empty payload). Ignored after close().
  void send(Side from, std::span<const std::uint8_t> payload);

  /// Orderly close started by `initiator`; later calls do nothing.
  void close(Side initiator = Side::client);

  FrameClock& clock() { return options_.clock; }
  /// Next sequence number `side` would send.
  [[nodiscard]] std::uint32_t next_seq(Side side) const { return peer(side).next_seq; }

 private:
  struct Peer {
    IpAddress address;
    std::uint16_t port = 0;
    std::uint32_t next_seq = 0;       // next sequence number this side sends
    std::uint32_t received_up_to = 0;  // next sequence number expected from the other side
    bool owes_ack = false;            // received data it has not acknowledged yet
    std::uint32_t unacked_segments = 0;  // of its own data, not yet acknowledged
    std::uint32_t unacked_bytes = 0;
  };

  TcpConversation(PcapWriter& writer, Peer client, Peer server, TcpConversationOptions options);

  Peer& peer(Side side) { return peers_[side == Side::client ? 0 : 1]; }
  [[nodiscard]] const Peer& peer(Side side) const { return peers_[side == Side::client ? 0 : 1]; }
  static Side other(Side side) { return side == Side::client ? Side::server : Side::client; }

  void handshake();
  void write_segment(Side from, std::uint8_t flags, std::span<const std::uint8_t> payload,
                     std::span<const std::uint8_t> options = {});
  void acknowledge(Side by);  // a pure ACK from `by`

  PcapWriter* writer_;
  std::array<Peer, 2> peers_;
  TcpConversationOptions options_;
  bool closed_ = false;
};

}  // namespace pc::capture
