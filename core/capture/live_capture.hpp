// Record live traffic from a network interface into a pcap file.
//
// The fuzz engine starts one on the loopback interface with a BPF filter such
// as "tcp port 1502" before a confirming replay, calls poll() while it runs and
// stop() afterwards; the file then holds exactly what went over the wire.
// Capturing needs CAP_NET_RAW; without it start() fails with Kind::permission.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/capture/result.hpp"

namespace pc::capture {

struct LiveCaptureOptions {
  int snap_length = 262144;
  /// How long stop() keeps reading after the last packet it saw, so that
  /// packets still in the kernel buffer reach the file.
  std::chrono::milliseconds drain_time{100};
};

struct LiveCaptureStats {
  std::uint64_t written = 0;  ///< packets written to the file
  std::uint64_t dropped = 0;  ///< packets the kernel or the interface dropped
};

class LiveCapture {
 public:
  /// Open `interface` (e.g. "lo") in immediate, non-blocking mode, apply the BPF
  /// `filter` (empty: everything) and create the dump file `output`.
  static Result<LiveCapture> start(const std::string& interface, const std::string& filter,
                                   const std::filesystem::path& output,
                                   LiveCaptureOptions options = {});

  LiveCapture(LiveCapture&&) noexcept;
  LiveCapture& operator=(LiveCapture&&) noexcept;
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;
  ~LiveCapture();  ///< stops if still running

  /// Write every packet available now to the file; never blocks. Returns how many.
  std::size_t poll();

  /// Drain what is left (see LiveCaptureOptions::drain_time), close the file
  /// and report the counts. Later calls return the same counts.
  Result<LiveCaptureStats> stop();

  [[nodiscard]] bool running() const;

 private:
  struct State;
  explicit LiveCapture(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pc::capture
