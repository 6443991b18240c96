// Frame cutters for the transport tests: the transport knows no protocol, so the tests
// bring their own framing.
#pragma once

#include <cstdint>
#include <span>

#include "core/transport/transport.hpp"

namespace pc::transport::test {

using Cut = FrameCutter::Cut;

// A message is a 2-byte big-endian length, then that many bytes. A length above `max`
// is junk: everything that arrived is dropped.
class LengthPrefixCutter : public FrameCutter {
 public:
  explicit LengthPrefixCutter(uint32_t max = 4096) : max_(max) {}
  Cut next(std::span<const uint8_t> data) override {
    if (data.size() < 2) {
      return {Cut::Kind::NeedMore, 0};
    }
    const uint32_t length = (uint32_t{data[0]} << 8) | data[1];
    if (length > max_) {
      return {Cut::Kind::Junk, 0};
    }
    if (data.size() < 2 + length) {
      return {Cut::Kind::NeedMore, 0};
    }
    return {Cut::Kind::Message, 2 + length};
  }

 private:
  uint32_t max_;
};

// Modbus/TCP-like: 6-byte header whose bytes 4..5 give the length of what follows.
// With `max_length` 0 it believes any length (a naive framer); otherwise a longer one
// is junk.
class MbapCutter : public FrameCutter {
 public:
  explicit MbapCutter(uint32_t max_length = 0) : max_length_(max_length) {}
  Cut next(std::span<const uint8_t> data) override {
    if (data.size() < 6) {
      return {Cut::Kind::NeedMore, 0};
    }
    const uint32_t length = (uint32_t{data[4]} << 8) | data[5];
    if (max_length_ != 0 && (length > max_length_ || length < 2)) {
      return {Cut::Kind::Junk, 0};
    }
    if (data.size() < 6 + length) {
      return {Cut::Kind::NeedMore, 0};
    }
    return {Cut::Kind::Message, 6 + length};
  }

 private:
  uint32_t max_length_;
};

// Never frames anything: shows what a peer sends when no message ever completes.
class NeverCutter : public FrameCutter {
 public:
  Cut next(std::span<const uint8_t> /*data*/) override { return {Cut::Kind::NeedMore, 0}; }
};

}  // namespace pc::transport::test
