// Append captured bytes, chunks and gaps to a Stream, keeping them tiled (internal).
#pragma once

#include <cstdint>
#include <span>

#include "core/capture/stream.hpp"

namespace pc::capture::detail {

/// Where a piece of payload came from in the capture file.
struct FrameRef {
  std::uint64_t frame = 0;  ///< 1-based record number
  Timestamp time;
};

/// Append `bytes` as one chunk at the end of the stream.
void append_chunk(Stream& stream, std::span<const std::uint8_t> bytes, const FrameRef& from);

/// Record `length` missing bytes at the current end of the stream.
void append_gap(Stream& stream, std::uint64_t length);

}  // namespace pc::capture::detail
