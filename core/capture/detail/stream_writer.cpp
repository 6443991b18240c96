#include "core/capture/detail/stream_writer.hpp"

namespace pc::capture::detail {

void append_chunk(Stream& stream, std::span<const std::uint8_t> bytes, const FrameRef& from) {
  const std::uint64_t offset = stream.bytes.size();
  stream.bytes.insert(stream.bytes.end(), bytes.begin(), bytes.end());
  stream.chunks.push_back(Chunk{offset, bytes.size(), from.frame, from.time});
}

void append_gap(Stream& stream, std::uint64_t length) {
  if (length == 0) return;
  const std::uint64_t offset = stream.bytes.size();
  if (!stream.gaps.empty() && stream.gaps.back().offset == offset) {
    stream.gaps.back().length += length;
    return;
  }
  stream.gaps.push_back(Gap{offset, length});
}

}  // namespace pc::capture::detail
