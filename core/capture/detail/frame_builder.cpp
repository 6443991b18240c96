#include "core/capture/detail/frame_builder.hpp"

#include <algorithm>

#include "core/capture/detail/checksum.hpp"

namespace pc::capture::detail {
namespace {

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;
constexpr std::size_t kEthernetHeader = 14;

void put16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t value) {
  out[at] = static_cast<std::uint8_t>(value >> 8);
  out[at + 1] = static_cast<std::uint8_t>(value & 0xFFu);
}

void put32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t value) {
  put16(out, at, static_cast<std::uint16_t>(value >> 16));
  put16(out, at + 2, static_cast<std::uint16_t>(value & 0xFFFFu));
}

void put_mac(std::vector<std::uint8_t>& out, std::size_t at, const IpAddress& address) {
  const auto raw = address.view();
  out[at] = 0x02;  // locally administered, unicast
  out[at + 1] = 0x00;
  for (std::size_t i = 0; i < 4; ++i) out[at + 2 + i] = raw[raw.size() - 4 + i];
}

std::size_t ip_header_size(const IpHeaderSpec& ip) { return ip.source.version == 6 ? 40 : 20; }

// Ethernet and IP headers for `upper_size` bytes of `protocol`; returns the
// frame with room for the upper layer, which starts at the returned offset.
std::vector<std::uint8_t> frame_with_ip(const IpHeaderSpec& ip, std::uint8_t protocol,
                                        std::size_t upper_size, std::size_t& upper_offset) {
  const std::size_t ip_size = ip_header_size(ip);
  std::vector<std::uint8_t> frame(kEthernetHeader + ip_size + upper_size, 0);
  put_mac(frame, 0, ip.destination);
  put_mac(frame, 6, ip.source);
  const std::size_t at = kEthernetHeader;
  if (ip.source.version == 6) {
    put16(frame, 12, 0x86DD);
    frame[at] = 0x60;
    put16(frame, at + 4, static_cast<std::uint16_t>(upper_size));
    frame[at + 6] = protocol;
    frame[at + 7] = 64;  // hop limit
    const auto source = ip.source.view();
    const auto destination = ip.destination.view();
    std::copy(source.begin(), source.end(), frame.begin() + at + 8);
    std::copy(destination.begin(), destination.end(), frame.begin() + at + 24);
  } else {
    put16(frame, 12, 0x0800);
    frame[at] = 0x45;
    put16(frame, at + 2, static_cast<std::uint16_t>(ip_size + upper_size));
    put16(frame, at + 4, ip.id);
    put16(frame, at + 6, 0x4000);  // don't fragment
    frame[at + 8] = 64;            // TTL
    frame[at + 9] = protocol;
    const auto source = ip.source.view();
    const auto destination = ip.destination.view();
    std::copy(source.begin(), source.end(), frame.begin() + at + 12);
    std::copy(destination.begin(), destination.end(), frame.begin() + at + 16);
    InternetChecksum sum;
    sum.add(std::span(frame).subspan(at, ip_size));
    put16(frame, at + 10, sum.finish());
  }
  upper_offset = at + ip_size;
  return frame;
}

}  // namespace

std::vector<std::uint8_t> build_tcp_frame(const IpHeaderSpec& ip, const TcpSegmentSpec& tcp) {
  const std::size_t header_size = 20 + tcp.options.size();
  std::size_t at = 0;
  std::vector<std::uint8_t> frame = frame_with_ip(ip, kTcp, header_size + tcp.payload.size(), at);
  put16(frame, at, tcp.source_port);
  put16(frame, at + 2, tcp.destination_port);
  put32(frame, at + 4, tcp.seq);
  put32(frame, at + 8, tcp.ack);
  frame[at + 12] = static_cast<std::uint8_t>((header_size / 4) << 4);
  frame[at + 13] = tcp.flags;
  put16(frame, at + 14, tcp.window);
  std::copy(tcp.options.begin(), tcp.options.end(), frame.begin() + static_cast<std::ptrdiff_t>(at + 20));
  std::copy(tcp.payload.begin(), tcp.payload.end(),
            frame.begin() + static_cast<std::ptrdiff_t>(at + header_size));
  put16(frame, at + 16, transport_checksum(ip.source, ip.destination, kTcp, std::span(frame).subspan(at)));
  return frame;
}

std::vector<std::uint8_t> build_udp_frame(const IpHeaderSpec& ip, std::uint16_t source_port,
                                          std::uint16_t destination_port,
                                          std::span<const std::uint8_t> payload) {
  std::size_t at = 0;
  std::vector<std::uint8_t> frame = frame_with_ip(ip, kUdp, 8 + payload.size(), at);
  put16(frame, at, source_port);
  put16(frame, at + 2, destination_port);
  put16(frame, at + 4, static_cast<std::uint16_t>(8 + payload.size()));
  std::copy(payload.begin(), payload.end(), frame.begin() + static_cast<std::ptrdiff_t>(at + 8));
  put16(frame, at + 6, transport_checksum(ip.source, ip.destination, kUdp, std::span(frame).subspan(at)));
  return frame;
}

}  // namespace pc::capture::detail
