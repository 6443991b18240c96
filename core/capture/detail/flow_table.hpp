// Sorting packets into flows and their two directions (internal).
//
// A flow is keyed by its 5-tuple (protocol, both addresses, both ports) without
// regard to direction; both directions share its flow id. A pure SYN that does
// not repeat the SYN this flow already saw from the same side ends the flow and
// starts a new one on the same 5-tuple (port reuse). Streams are created when
// their direction sends its first packet, so they stay in order of appearance.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/capture/detail/stream_writer.hpp"
#include "core/capture/detail/tcp_reassembler.hpp"
#include "core/capture/packet.hpp"
#include "core/capture/stream.hpp"

namespace pc::capture::detail {

class FlowTable {
 public:
  explicit FlowTable(std::vector<Stream>& streams) : streams_(streams) {}

  /// `packet` is PacketKind::tcp or PacketKind::udp.
  void add(const ParsedPacket& packet, const FrameRef& from);
  /// One raw link-layer frame (all of them form a single stream).
  void add_link_frame(std::span<const std::uint8_t> frame, const FrameRef& from);
  /// End of input: flush every open TCP direction and settle roles.
  void finish();

 private:
  static constexpr std::size_t kNoStream = SIZE_MAX;
  struct Side {
    IpAddress address;
    std::uint16_t port = 0;
    friend auto operator<=>(const Side&, const Side&) = default;
  };
  struct Key {
    Transport transport = Transport::tcp;
    Side low;   // the smaller side, so both directions find the same key
    Side high;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  struct Flow {
    std::uint32_t id = 0;
    Transport transport = Transport::tcp;
    std::array<std::size_t, 2> stream{kNoStream, kNoStream};  // by direction
    std::array<TcpReassembler, 2> tcp;
    std::array<std::optional<std::uint32_t>, 2> syn_seq;  // pure SYN seen per direction
    std::optional<int> initiator;                        // direction that opened
    bool finished = false;
  };

  Flow& open_flow(const Key& key, Transport transport);
  Stream& stream_for(Flow& flow, int direction, const ParsedPacket& packet);
  void add_tcp(Flow& flow, int direction, const ParsedPacket& packet, const FrameRef& from);
  void finish_flow(Flow& flow);

  std::vector<Stream>& streams_;
  std::vector<Flow> flows_;
  std::map<Key, std::size_t> current_;  // 5-tuple -> index of its newest flow in flows_
  std::size_t link_stream_ = kNoStream;
  std::uint32_t next_flow_id_ = 0;
};

}  // namespace pc::capture::detail
