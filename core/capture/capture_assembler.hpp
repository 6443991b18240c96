// Turns captured frames, one at a time, into the Streams of a Capture.
//
// This is the reader without the file format: read_capture() feeds it the
// records of a pcap/pcapng file, a fuzz target or a test can feed it frames
// directly. Frames are numbered 1, 2, ... in the order they are added.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "core/capture/stream.hpp"

namespace pc::capture {

class CaptureAssembler {
 public:
  /// `link_type`: LINKTYPE_*/DLT_* value of every frame (see link_type.hpp).
  explicit CaptureAssembler(int link_type);
  ~CaptureAssembler();
  CaptureAssembler(CaptureAssembler&&) noexcept;
  CaptureAssembler& operator=(CaptureAssembler&&) noexcept;
  CaptureAssembler(const CaptureAssembler&) = delete;
  CaptureAssembler& operator=(const CaptureAssembler&) = delete;

  /// Add the next captured frame. Any byte string is accepted; what cannot be
  /// used is counted in ReadStats.
  void add_frame(std::span<const std::uint8_t> frame, Timestamp time);

  /// Close every open stream (open holes become gaps) and hand the result over.
  /// The assembler is empty afterwards.
  Capture finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pc::capture
