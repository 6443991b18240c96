#include "core/capture/stream.hpp"

#include <algorithm>

namespace pc::capture {

const char* to_string(Transport transport) {
  switch (transport) {
    case Transport::tcp: return "tcp";
    case Transport::udp: return "udp";
    case Transport::link: return "link";
  }
  return "unknown";
}

const Chunk* chunk_at(const Stream& stream, std::uint64_t offset) {
  // The last chunk starting at or before `offset` that is not empty holds it.
  auto after = std::upper_bound(stream.chunks.begin(), stream.chunks.end(), offset,
                                [](std::uint64_t value, const Chunk& chunk) { return value < chunk.offset; });
  while (after != stream.chunks.begin()) {
    const Chunk& candidate = *--after;
    if (offset < candidate.offset + candidate.size) return &candidate;
    if (candidate.size != 0) return nullptr;
  }
  return nullptr;
}

}  // namespace pc::capture
