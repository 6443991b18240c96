#include "core/capture/tcp_conversation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/capture/detail/frame_builder.hpp"
#include "core/capture/packet.hpp"

namespace pc::capture {

using Kind = CaptureError::Kind;

Result<TcpConversation> TcpConversation::open(PcapWriter& writer, const Endpoint& client,
                                              const Endpoint& server,
                                              TcpConversationOptions options) {
  if (writer.link_type() != link_type::ethernet) {
    return make_error(Kind::invalid_argument, "a TCP conversation needs an Ethernet capture");
  }
  const auto client_ip = IpAddress::parse(client.address);
  const auto server_ip = IpAddress::parse(server.address);
  if (!client_ip || !server_ip || client_ip->version != server_ip->version) {
    return make_error(Kind::invalid_argument,
                      fmt::format("bad address pair {} -> {}", client.address, server.address));
  }
  if (options.mss == 0 || options.mss > 65000) {
    return make_error(Kind::invalid_argument, fmt::format("MSS {} not in 1..65000", options.mss));
  }
  Peer client_peer{*client_ip, client.port, options.client_isn, 0, false, 0, 0};
  Peer server_peer{*server_ip, server.port, options.server_isn, 0, false, 0, 0};
  TcpConversation conversation(writer, client_peer, server_peer, std::move(options));
  conversation.handshake();
  return conversation;
}

TcpConversation::TcpConversation(PcapWriter& writer, Peer client, Peer server,
                                 TcpConversationOptions options)
    : writer_(&writer), peers_{client, server}, options_(std::move(options)) {}

void TcpConversation::write_segment(Side from, std::uint8_t flags,
                                    std::span<const std::uint8_t> payload,
                                    std::span<const std::uint8_t> tcp_options) {
  Peer& sender = peer(from);
  const Peer& receiver = peer(other(from));
  const detail::IpHeaderSpec ip{sender.address, receiver.address, writer_->next_ip_id()};
  detail::TcpSegmentSpec tcp;
  tcp.source_port = sender.port;
  tcp.destination_port = receiver.port;
  tcp.seq = sender.next_seq;
  tcp.ack = (flags & tcp_flag::ack) != 0 ? sender.received_up_to : 0;
  tcp.flags = flags;
  tcp.window = options_.window;
  tcp.options = tcp_options;
  tcp.payload = payload;
  writer_->write_frame(detail::build_tcp_frame(ip, tcp), options_.clock.next());

  std::uint32_t consumed = static_cast<std::uint32_t>(payload.size());
  if ((flags & (tcp_flag::syn | tcp_flag::fin)) != 0) ++consumed;
  sender.next_seq += consumed;
  peer(other(from)).received_up_to = sender.next_seq;
  if ((flags & tcp_flag::ack) != 0) {
    sender.owes_ack = false;  // this segment acknowledged everything received
    Peer& acknowledged = peer(other(from));
    acknowledged.unacked_segments = 0;
    acknowledged.unacked_bytes = 0;
  }
}

void TcpConversation::handshake() {
  const std::uint8_t mss_option[4] = {2, 4, static_cast<std::uint8_t>(options_.mss >> 8),
                                      static_cast<std::uint8_t>(options_.mss & 0xFFu)};
  write_segment(Side::client, tcp_flag::syn, {}, mss_option);
  write_segment(Side::server, tcp_flag::syn | tcp_flag::ack, {}, mss_option);
  write_segment(Side::client, tcp_flag::ack, {});
}

void TcpConversation::acknowledge(Side by) { write_segment(by, tcp_flag::ack, {}); }

void TcpConversation::send(Side from, std::span<const std::uint8_t> payload) {
  if (closed_ || payload.empty()) return;
  const Side to = other(from);
  // Data the receiver has not acknowledged yet is acknowledged before more comes.
  if (peer(to).owes_ack) acknowledge(to);
  while (!payload.empty()) {
    const std::size_t size = std::min<std::size_t>(payload.size(), options_.mss);
    const bool last = size == payload.size();
    write_segment(from, last ? (tcp_flag::psh | tcp_flag::ack) : tcp_flag::ack,
                  payload.first(size));
    payload = payload.subspan(size);
    Peer& sender = peer(from);
    ++sender.unacked_segments;
    sender.unacked_bytes += static_cast<std::uint32_t>(size);
    peer(to).owes_ack = true;
    const std::size_t next_size = std::min<std::size_t>(payload.size(), options_.mss);
    const bool window_full = sender.unacked_bytes + next_size > options_.window;
    if (!last && (sender.unacked_segments >= 2 || window_full)) acknowledge(to);
  }
}

void TcpConversation::close(Side initiator) {
  if (closed_) return;
  closed_ = true;
  const Side responder = other(initiator);
  if (peer(responder).owes_ack) acknowledge(responder);
  write_segment(initiator, tcp_flag::fin | tcp_flag::ack, {});
  write_segment(responder, tcp_flag::fin | tcp_flag::ack, {});
  write_segment(initiator, tcp_flag::ack, {});
}

}  // namespace pc::capture
