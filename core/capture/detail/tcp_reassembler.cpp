#include "core/capture/detail/tcp_reassembler.hpp"

#include <algorithm>

namespace pc::capture::detail {

std::int64_t TcpReassembler::position_of(std::uint32_t seq) const {
  // The nearest unwrapped position to next_ that has this sequence number.
  const std::uint32_t expected = base_seq_ + static_cast<std::uint32_t>(next_);
  const auto delta = static_cast<std::int32_t>(seq - expected);
  return static_cast<std::int64_t>(next_) + delta;
}

void TcpReassembler::add(const TcpInfo& tcp, std::span<const std::uint8_t> payload,
                         const FrameRef& from, Stream& out) {
  std::uint32_t data_seq = tcp.seq;
  if ((tcp.flags & tcp_flag::syn) != 0) {
    data_seq = tcp.seq + 1;  // the SYN takes one sequence number
    // The SYN fixes the origin, unless bytes were already placed (a stray SYN).
    if (!syn_seen_ && next_ == 0 && waiting_.empty()) {
      base_seq_ = data_seq;
      have_base_ = true;
    }
    syn_seen_ = true;
  }
  if (!have_base_) {
    base_seq_ = data_seq;  // capture started mid-connection
    have_base_ = true;
  }
  if ((tcp.flags & tcp_flag::fin) != 0) fin_seen_ = true;
  if (payload.empty()) return;

  std::int64_t start = position_of(data_seq);
  std::int64_t end = start + static_cast<std::int64_t>(payload.size());
  const auto next = static_cast<std::int64_t>(next_);
  if (end <= next) {
    out.duplicate_bytes += payload.size();  // a whole retransmission (or before the origin)
    return;
  }
  if (start < next) {
    const auto seen = static_cast<std::size_t>(next - start);
    out.duplicate_bytes += seen;
    payload = payload.subspan(seen);
    start = next;
  }
  const auto first = static_cast<std::uint64_t>(start);
  const auto last = static_cast<std::uint64_t>(end);
  if (first == next_ && (waiting_.empty() || waiting_.begin()->first >= last)) {
    append_chunk(out, payload, from);  // the common in-order case: no copy kept
    next_ = last;
  } else {
    hold(first, payload, from, out);
  }
  deliver(out);
  while (waiting_bytes_ > kMaxWaitingBytes) skip_to_first_waiting(out);
}

// Keep the parts of [start, start + size) not already waiting; the rest are
// duplicates (first copy wins).
void TcpReassembler::hold(std::uint64_t start, std::span<const std::uint8_t> bytes,
                          const FrameRef& from, Stream& out) {
  const std::uint64_t end = start + bytes.size();
  std::uint64_t cursor = start;
  std::size_t kept = 0;
  auto it = waiting_.upper_bound(start);
  if (it != waiting_.begin()) {
    const auto before = std::prev(it);
    cursor = std::max(cursor, before->first + before->second.bytes.size());
  }
  while (cursor < end) {
    const std::uint64_t piece_end = it == waiting_.end() ? end : std::min(end, it->first);
    if (cursor < piece_end) {
      const auto from_index = static_cast<std::size_t>(cursor - start);
      const auto piece = bytes.subspan(from_index, static_cast<std::size_t>(piece_end - cursor));
      waiting_.emplace(cursor, Waiting{{piece.begin(), piece.end()}, from});
      waiting_bytes_ += piece.size();
      kept += piece.size();
    }
    if (it == waiting_.end()) break;
    cursor = std::max(cursor, it->first + it->second.bytes.size());
    ++it;
  }
  out.duplicate_bytes += bytes.size() - kept;
}

void TcpReassembler::deliver(Stream& out) {
  while (!waiting_.empty() && waiting_.begin()->first == next_) {
    auto node = waiting_.extract(waiting_.begin());
    append_chunk(out, node.mapped().bytes, node.mapped().from);
    next_ += node.mapped().bytes.size();
    waiting_bytes_ -= node.mapped().bytes.size();
  }
}

void TcpReassembler::skip_to_first_waiting(Stream& out) {
  if (waiting_.empty()) return;
  append_gap(out, waiting_.begin()->first - next_);
  next_ = waiting_.begin()->first;
  deliver(out);
}

void TcpReassembler::flush(Stream& out) {
  while (!waiting_.empty()) skip_to_first_waiting(out);
}

}  // namespace pc::capture::detail
