// Reassembly of IPv4 and IPv6 fragments into whole datagrams (internal).
//
// Memory is bounded: at most kMaxPending datagrams in progress (the oldest is
// dropped first), each at most 64 KiB, each storing at most twice that in pieces.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "core/capture/packet.hpp"

namespace pc::capture::detail {

struct Datagram {
  IpAddress source;
  IpAddress destination;
  std::uint8_t protocol = 0;
  std::vector<std::uint8_t> payload;  ///< the whole upper-layer datagram
};

class FragmentReassembler {
 public:
  static constexpr std::size_t kMaxPending = 256;
  static constexpr std::size_t kMaxDatagram = 65535;

  /// Add one piece (a PacketKind::fragment); returns the datagram it completes.
  std::optional<Datagram> add(const ParsedPacket& fragment);

  /// Pieces dropped so far (rejected, evicted) plus pieces still waiting.
  [[nodiscard]] std::uint64_t dropped() const;

 private:
  struct Key {
    IpAddress source;
    IpAddress destination;
    std::uint32_t id = 0;
    std::uint8_t protocol = 0;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  struct Pending {
    std::map<std::uint32_t, std::vector<std::uint8_t>> pieces;  // by offset; first copy kept
    std::optional<std::uint32_t> total;                         // known once the last piece came
    std::size_t stored = 0;
    std::uint64_t arrival = 0;
  };

  static std::optional<std::vector<std::uint8_t>> assemble(const Pending& pending);
  void evict_oldest();

  std::map<Key, Pending> pending_;
  std::uint64_t arrivals_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace pc::capture::detail
