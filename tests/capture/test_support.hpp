// Helpers shared by the capture tests: hex strings, capture paths, tshark.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/capture/stream.hpp"

namespace pc::capture::test {

/// "45 00 0a" -> {0x45, 0x00, 0x0a}; spaces and newlines are ignored.
inline std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> bytes;
  int high = -1;
  for (const char c : text) {
    int value = -1;
    if (c >= '0' && c <= '9') value = c - '0';
    if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') value = c - 'A' + 10;
    if (value < 0) continue;
    if (high < 0) {
      high = value;
    } else {
      bytes.push_back(static_cast<std::uint8_t>(high * 16 + value));
      high = -1;
    }
  }
  return bytes;
}

inline std::vector<std::uint8_t> bytes_of(std::string_view text) {
  return {text.begin(), text.end()};
}

inline std::string shared_capture(std::string_view relative) {
  return std::string(PC_SHARED_DIR) + "/captures/" + std::string(relative);
}

struct PipeCloser {
  void operator()(std::FILE* pipe) const { pclose(pipe); }
};

/// Run a shell command and return its standard output.
inline std::string run_command(const std::string& command) {
  std::unique_ptr<std::FILE, PipeCloser> pipe(popen(command.c_str(), "r"));
  std::string output;
  if (!pipe) return output;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0) output.append(buffer, got);
  return output;
}

inline bool have_tshark() {
  return run_command("command -v tshark >/dev/null 2>&1 && echo yes") == "yes\n";
}

/// The streams of `capture` from or to `port` (by source or destination port).
inline std::vector<const Stream*> streams_from_port(const Capture& capture, std::uint16_t port) {
  std::vector<const Stream*> found;
  for (const Stream& stream : capture.streams) {
    if (stream.source.port == port) found.push_back(&stream);
  }
  return found;
}
inline std::vector<const Stream*> streams_to_port(const Capture& capture, std::uint16_t port) {
  std::vector<const Stream*> found;
  for (const Stream& stream : capture.streams) {
    if (stream.destination.port == port) found.push_back(&stream);
  }
  return found;
}

}  // namespace pc::capture::test

#include <filesystem>
#include <unistd.h>

namespace pc::capture::test {

/// A fresh path in the system temp directory, removed again on destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("pc_capture_" + std::to_string(::getpid()) + "_" + name)) {
    std::filesystem::remove(path_);
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string string() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::vector<std::uint8_t> bytes;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return bytes;
  std::uint8_t buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) bytes.insert(bytes.end(), buffer, buffer + got);
  return bytes;
}

}  // namespace pc::capture::test
