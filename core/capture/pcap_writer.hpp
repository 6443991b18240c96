// Write frames to a classic pcap file (microsecond timestamps) through libpcap.
//
// Ethernet files (the default) can take UDP datagrams here and whole TCP
// conversations through TcpConversation (tcp_conversation.hpp); files of any
// link type take raw frames (e.g. serial-line frames in a USER0 file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "core/capture/link_type.hpp"
#include "core/capture/result.hpp"
#include "core/capture/stream.hpp"

namespace pc::capture {

class PcapWriter {
 public:
  /// Create (or truncate) `path`.
  static Result<PcapWriter> create(const std::filesystem::path& path,
                                   int link_type = link_type::ethernet);

  PcapWriter(PcapWriter&&) noexcept;
  PcapWriter& operator=(PcapWriter&&) noexcept;
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;
  ~PcapWriter();  ///< closes the file if close() was not called

  [[nodiscard]] int link_type() const { return link_type_; }
  [[nodiscard]] std::uint64_t frames_written() const { return frames_; }

  /// Write one frame exactly as given (cut at 262,144 bytes, the snapshot length).
  void write_frame(std::span<const std::uint8_t> frame, Timestamp time);

  /// Write one UDP datagram in Ethernet + IPv4/IPv6 with valid checksums.
  /// Fails for a non-Ethernet file, unparsable or mixed-family addresses, or a
  /// payload too large for one IP packet.
  Result<void> write_udp(const Endpoint& source, const Endpoint& destination,
                         std::span<const std::uint8_t> payload, Timestamp time);

  /// The next IPv4 identification value for a frame this writer builds.
  std::uint16_t next_ip_id() { return ip_id_++; }

  /// Flush and close the file; later writes are dropped.
  Result<void> close();

 private:
  struct Handles;
  PcapWriter(std::unique_ptr<Handles> handles, int link_type);

  std::unique_ptr<Handles> handles_;
  int link_type_ = link_type::ethernet;
  std::uint64_t frames_ = 0;
  std::uint16_t ip_id_ = 1;
};

}  // namespace pc::capture
