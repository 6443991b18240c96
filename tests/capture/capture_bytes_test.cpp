// read_capture_bytes(): whole files from memory, and hostile files (cut at
// every length, bytes flipped) that must come back as results, never crashes.
#include <gtest/gtest.h>

#include <random>

#include "core/capture/pcap_reader.hpp"
#include "test_support.hpp"

namespace pc::capture {
namespace {

void expect_tiled(const Capture& capture) {
  for (const Stream& stream : capture.streams) {
    std::uint64_t offset = 0;
    for (const Chunk& chunk : stream.chunks) {
      ASSERT_EQ(chunk.offset, offset);
      offset += chunk.size;
    }
    ASSERT_EQ(offset, stream.bytes.size());
  }
}

TEST(CaptureBytes, MemoryAndFileGiveTheSameStreams) {
  const std::string path = test::shared_capture("mqtt/mqtt311-pub-qos1.pcap");
  const auto bytes = test::read_file(path);
  ASSERT_FALSE(bytes.empty());
  const Result<Capture> from_file = read_capture(path);
  const Result<Capture> from_memory = read_capture_bytes(bytes);
  ASSERT_TRUE(from_file.ok());
  ASSERT_TRUE(from_memory.ok());
  ASSERT_EQ(from_memory.value().streams.size(), from_file.value().streams.size());
  for (std::size_t i = 0; i < from_file.value().streams.size(); ++i) {
    EXPECT_EQ(from_memory.value().streams[i].bytes, from_file.value().streams[i].bytes);
  }
}

TEST(CaptureBytes, EveryTruncationIsAResult) {
  const auto bytes = test::read_file(test::shared_capture("modbus/modbus-eit.pcap"));
  ASSERT_GT(bytes.size(), 24U);
  const Result<Capture> whole = read_capture_bytes(bytes);
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole.value().stats.frames, 4U);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    const Result<Capture> cut = read_capture_bytes(std::span(bytes).first(size));
    if (size < 24) {
      EXPECT_FALSE(cut.ok()) << size;  // no complete file header
      if (!cut.ok()) EXPECT_EQ(cut.error().kind, CaptureError::Kind::format);
      continue;
    }
    ASSERT_TRUE(cut.ok()) << size;
    EXPECT_LT(cut.value().stats.frames, 4U) << size;
    expect_tiled(cut.value());
  }
  // Cut inside the last record: the first three frames survive, and the reason is given.
  const Result<Capture> cut = read_capture_bytes(std::span(bytes).first(bytes.size() - 3));
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut.value().stats.frames, 3U);
  EXPECT_FALSE(cut.value().trailing_error.empty());
}

TEST(CaptureBytes, FlippedBytesNeverCrashTheReader) {
  const auto original = test::read_file(test::shared_capture("mqtt/mqtt311-unsub-qos1.pcap"));
  ASSERT_GT(original.size(), 100U);
  std::mt19937 random(7);
  int readable = 0;
  for (int round = 0; round < 1500; ++round) {
    auto bytes = original;
    const int flips = 1 + static_cast<int>(random() % 6);
    for (int i = 0; i < flips; ++i) {
      // Mostly record contents; now and then a record header or the file header.
      const std::size_t at = round % 10 == 0 ? random() % bytes.size() : 24 + random() % (bytes.size() - 24);
      bytes[at] = static_cast<std::uint8_t>(random());
    }
    const Result<Capture> read = read_capture_bytes(bytes);
    if (read.ok()) {
      ++readable;
      expect_tiled(read.value());
    }
  }
  EXPECT_GT(readable, 1000);  // flipped contents still read; only broken headers fail
}

TEST(CaptureBytes, EmptyOrForeignBytesAreFormatErrors) {
  const Result<Capture> empty = read_capture_bytes({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().kind, CaptureError::Kind::format);
  const auto text = test::bytes_of("this is not a capture file, just some text long enough");
  const Result<Capture> foreign = read_capture_bytes(text);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().kind, CaptureError::Kind::format);
}

}  // namespace
}  // namespace pc::capture
