// Reassembly of one direction of a TCP connection into a byte stream (internal).
//
// Sequence numbers are unwrapped into 64-bit stream positions relative to the
// first sequence number (the SYN's + 1, or the first segment seen when the
// capture starts mid-connection). Bytes already delivered or already waiting
// are never replaced: the first captured copy of every byte wins. Segments
// beyond a hole wait until the hole is filled; holes still open when the
// direction is flushed (end of capture, or too much waiting) become Gaps.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "core/capture/detail/stream_writer.hpp"
#include "core/capture/packet.hpp"
#include "core/capture/stream.hpp"

namespace pc::capture::detail {

class TcpReassembler {
 public:
  /// Waiting bytes beyond a hole above which the hole is declared lost.
  static constexpr std::size_t kMaxWaitingBytes = 4U << 20;

  /// Take one segment of this direction; delivers what became contiguous.
  void add(const TcpInfo& tcp, std::span<const std::uint8_t> payload, const FrameRef& from,
           Stream& out);

  /// Give up on open holes: record them as gaps and deliver everything waiting.
  void flush(Stream& out);

  [[nodiscard]] bool saw_fin() const { return fin_seen_; }

 private:
  struct Waiting {
    std::vector<std::uint8_t> bytes;
    FrameRef from;
  };

  std::int64_t position_of(std::uint32_t seq) const;
  void hold(std::uint64_t start, std::span<const std::uint8_t> bytes, const FrameRef& from,
            Stream& out);
  void deliver(Stream& out);
  void skip_to_first_waiting(Stream& out);

  bool have_base_ = false;
  bool syn_seen_ = false;
  bool fin_seen_ = false;
  std::uint32_t base_seq_ = 0;  // sequence number of stream position 0
  std::uint64_t next_ = 0;      // next position expected (delivered or skipped before it)
  std::map<std::uint64_t, Waiting> waiting_;  // disjoint, all beyond next_
  std::size_t waiting_bytes_ = 0;
};

}  // namespace pc::capture::detail
