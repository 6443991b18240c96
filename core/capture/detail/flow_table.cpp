#include "core/capture/detail/flow_table.hpp"

namespace pc::capture::detail {

FlowTable::Flow& FlowTable::open_flow(const Key& key, Transport transport) {
  Flow flow;
  flow.id = next_flow_id_++;
  flow.transport = transport;
  flows_.push_back(std::move(flow));
  current_[key] = flows_.size() - 1;
  return flows_.back();
}

Stream& FlowTable::stream_for(Flow& flow, int direction, const ParsedPacket& packet) {
  std::size_t& index = flow.stream[static_cast<std::size_t>(direction)];
  if (index == kNoStream) {
    Stream stream;
    stream.flow_id = flow.id;
    stream.transport = flow.transport;
    stream.source = {packet.source.to_string(), packet.source_port};
    stream.destination = {packet.destination.to_string(), packet.destination_port};
    streams_.push_back(std::move(stream));
    index = streams_.size() - 1;
  }
  return streams_[index];
}

void FlowTable::add(const ParsedPacket& packet, const FrameRef& from) {
  const Transport transport = packet.kind == PacketKind::tcp ? Transport::tcp : Transport::udp;
  const Side source{packet.source, packet.source_port};
  const Side destination{packet.destination, packet.destination_port};
  const bool source_is_low = source <= destination;
  const Key key{transport, source_is_low ? source : destination,
                source_is_low ? destination : source};
  const int direction = source_is_low ? 0 : 1;

  const auto found = current_.find(key);
  Flow* flow = found == current_.end() ? nullptr : &flows_[found->second];
  if (transport == Transport::tcp) {
    const bool pure_syn = (packet.tcp.flags & (tcp_flag::syn | tcp_flag::ack)) == tcp_flag::syn;
    const auto& known_syn = flow == nullptr ? std::nullopt
                                            : flow->syn_seq[static_cast<std::size_t>(direction)];
    if (flow != nullptr && pure_syn && known_syn != packet.tcp.seq) {
      finish_flow(*flow);  // a new connection on a reused 5-tuple
      flow = nullptr;
    }
  }
  if (flow == nullptr) flow = &open_flow(key, transport);

  if (transport == Transport::tcp) {
    add_tcp(*flow, direction, packet, from);
    return;
  }
  Stream& stream = stream_for(*flow, direction, packet);
  ++stream.frames;
  append_chunk(stream, packet.payload, from);  // every datagram is its own message
}

void FlowTable::add_tcp(Flow& flow, int direction, const ParsedPacket& packet,
                        const FrameRef& from) {
  const auto side = static_cast<std::size_t>(direction);
  const std::uint8_t flags = packet.tcp.flags;
  if ((flags & tcp_flag::syn) != 0 && !flow.initiator) {
    // A pure SYN names its sender; a SYN-ACK names the other side.
    flow.initiator = (flags & tcp_flag::ack) == 0 ? direction : 1 - direction;
  }
  if ((flags & (tcp_flag::syn | tcp_flag::ack)) == tcp_flag::syn && !flow.syn_seq[side]) {
    flow.syn_seq[side] = packet.tcp.seq;
  }
  Stream& stream = stream_for(flow, direction, packet);
  ++stream.frames;
  flow.tcp[side].add(packet.tcp, packet.payload, from, stream);
}

void FlowTable::finish_flow(Flow& flow) {
  if (flow.finished) return;
  flow.finished = true;
  for (std::size_t side = 0; side < 2; ++side) {
    if (flow.stream[side] == kNoStream) continue;
    Stream& stream = streams_[flow.stream[side]];
    if (flow.transport == Transport::tcp) flow.tcp[side].flush(stream);
    if (flow.initiator) {
      stream.role = static_cast<int>(side) == *flow.initiator ? Role::initiator : Role::responder;
    }
  }
}

void FlowTable::add_link_frame(std::span<const std::uint8_t> frame, const FrameRef& from) {
  if (link_stream_ == kNoStream) {
    Stream stream;
    stream.flow_id = next_flow_id_++;
    stream.transport = Transport::link;
    streams_.push_back(std::move(stream));
    link_stream_ = streams_.size() - 1;
  }
  Stream& stream = streams_[link_stream_];
  ++stream.frames;
  append_chunk(stream, frame, from);
}

void FlowTable::finish() {
  for (Flow& flow : flows_) finish_flow(flow);
}

}  // namespace pc::capture::detail
