// Read a pcap or pcapng file into reassembled Streams.
//
// libpcap decides the format from the file's magic number, not its name, so a
// pcapng file called *.pcap reads fine. Supported link types are listed in
// link_type.hpp; other link types are refused with CaptureError::Kind::unsupported.
// See docs/capture.md for how TCP retransmissions, overlaps and gaps are treated.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "core/capture/result.hpp"
#include "core/capture/stream.hpp"

namespace pc::capture {

/// Read the capture file at `path`. A file whose last record is cut short still
/// yields the frames before it; `Capture::trailing_error` then says why it stopped.
Result<Capture> read_capture(const std::filesystem::path& path);

/// The same for a capture file already in memory (e.g. a fuzz input).
Result<Capture> read_capture_bytes(std::span<const std::uint8_t> file_bytes);

}  // namespace pc::capture
