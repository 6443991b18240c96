#include "core/capture/capture_assembler.hpp"

#include <optional>

#include "core/capture/detail/flow_table.hpp"
#include "core/capture/detail/ip_fragments.hpp"
#include "core/capture/packet.hpp"

namespace pc::capture {

struct CaptureAssembler::State {
  explicit State(int type) : flows(capture.streams) { capture.link_type = type; }

  Capture capture;
  detail::FlowTable flows;
  detail::FragmentReassembler fragments;
};

CaptureAssembler::CaptureAssembler(int link_type) : state_(std::make_unique<State>(link_type)) {}
CaptureAssembler::~CaptureAssembler() = default;
CaptureAssembler::CaptureAssembler(CaptureAssembler&&) noexcept = default;
CaptureAssembler& CaptureAssembler::operator=(CaptureAssembler&&) noexcept = default;

void CaptureAssembler::add_frame(std::span<const std::uint8_t> frame, Timestamp time) {
  ReadStats& stats = state_->capture.stats;
  const detail::FrameRef from{++stats.frames, time};
  const ParsedPacket packet = parse_packet(state_->capture.link_type, frame);
  switch (packet.kind) {
    case PacketKind::tcp:
    case PacketKind::udp: state_->flows.add(packet, from); return;
    case PacketKind::link_frame: state_->flows.add_link_frame(packet.payload, from); return;
    case PacketKind::not_ip: ++stats.not_ip; return;
    case PacketKind::other_protocol: ++stats.other_protocol; return;
    case PacketKind::malformed: ++stats.malformed; return;
    case PacketKind::fragment: break;
  }
  ++stats.fragments;
  std::optional<detail::Datagram> whole = state_->fragments.add(packet);
  if (!whole) return;
  ++stats.reassembled;
  const auto length = static_cast<std::uint32_t>(whole->payload.size());
  const ParsedPacket inner =
      parse_transport(whole->source, whole->destination, whole->protocol, whole->payload, length);
  if (inner.kind == PacketKind::tcp || inner.kind == PacketKind::udp) {
    state_->flows.add(inner, from);
  } else if (inner.kind == PacketKind::malformed) {
    ++stats.malformed;
  } else {
    ++stats.other_protocol;
  }
}

Capture CaptureAssembler::finish() {
  state_->flows.finish();
  state_->capture.stats.fragments_dropped = state_->fragments.dropped();
  Capture result = std::move(state_->capture);
  const int type = result.link_type;
  state_ = std::make_unique<State>(type);
  return result;
}

}  // namespace pc::capture
