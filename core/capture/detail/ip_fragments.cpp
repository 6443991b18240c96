#include "core/capture/detail/ip_fragments.hpp"

#include <algorithm>

namespace pc::capture::detail {

std::optional<Datagram> FragmentReassembler::add(const ParsedPacket& fragment) {
  const FragmentInfo& info = fragment.fragment;
  const std::size_t size = fragment.payload.size();
  const std::size_t end = std::size_t{info.offset} + size;
  // A piece cut short by the snapshot length can never complete its datagram;
  // a middle piece must carry a multiple of 8 bytes.
  if (!info.complete || end > kMaxDatagram || (info.more && size % 8 != 0)) {
    ++dropped_;
    return std::nullopt;
  }
  const Key key{fragment.source, fragment.destination, info.id, info.protocol};
  auto [it, inserted] = pending_.try_emplace(key);
  Pending& pending = it->second;
  if (inserted) pending.arrival = arrivals_++;
  if (!info.more && !pending.total) pending.total = static_cast<std::uint32_t>(end);
  if (pending.stored + size > 2 * kMaxDatagram || pending.pieces.count(info.offset) != 0) {
    ++dropped_;  // a duplicate piece or a flood of overlapping ones
  } else {
    pending.pieces.emplace(info.offset, std::vector<std::uint8_t>(fragment.payload.begin(),
                                                                  fragment.payload.end()));
    pending.stored += size;
  }

  std::optional<std::vector<std::uint8_t>> whole = assemble(pending);
  if (!whole) {
    if (inserted && pending_.size() > kMaxPending) evict_oldest();
    return std::nullopt;
  }
  Datagram datagram{fragment.source, fragment.destination, info.protocol, std::move(*whole)};
  pending_.erase(it);
  return datagram;
}

std::optional<std::vector<std::uint8_t>> FragmentReassembler::assemble(const Pending& pending) {
  if (!pending.total) return std::nullopt;
  const std::size_t total = *pending.total;
  std::size_t covered = 0;
  for (const auto& [offset, bytes] : pending.pieces) {
    if (offset > covered) return std::nullopt;  // a hole
    covered = std::max(covered, offset + bytes.size());
    if (covered >= total) break;
  }
  if (covered < total) return std::nullopt;

  std::vector<std::uint8_t> whole;
  whole.reserve(total);
  for (const auto& [offset, bytes] : pending.pieces) {
    if (whole.size() >= total) break;
    // Overlapping pieces: the bytes already placed (lower offset) win.
    const std::size_t skip = whole.size() - offset;
    const std::size_t take = std::min(bytes.size() - std::min(skip, bytes.size()), total - whole.size());
    if (skip < bytes.size()) {
      const auto first = bytes.begin() + static_cast<std::ptrdiff_t>(skip);
      whole.insert(whole.end(), first, first + static_cast<std::ptrdiff_t>(take));
    }
  }
  return whole;
}

void FragmentReassembler::evict_oldest() {
  auto oldest = std::min_element(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
    return a.second.arrival < b.second.arrival;
  });
  if (oldest == pending_.end()) return;
  dropped_ += oldest->second.pieces.size();
  pending_.erase(oldest);
}

std::uint64_t FragmentReassembler::dropped() const {
  std::uint64_t waiting = 0;
  for (const auto& [key, pending] : pending_) waiting += pending.pieces.size();
  return dropped_ + waiting;
}

}  // namespace pc::capture::detail
