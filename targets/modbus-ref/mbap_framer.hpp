// Cuts Modbus/TCP ADUs out of a byte stream (MODBUS Messaging on TCP/IP Implementation
// Guide V1.0b, section 3.1.3): transaction id (2), protocol id (2), length (2), unit id
// (1), then length - 1 bytes of PDU. TCP may split an ADU over several reads or put
// several ADUs into one read; the framer looks at whatever has arrived so far.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace pc::modbus_ref {

inline constexpr std::size_t kMbapHeader = 7;
inline constexpr std::uint16_t kMinLength = 2;    // unit id + function code
inline constexpr std::uint16_t kMaxLength = 254;  // unit id + 253-byte PDU
inline constexpr std::size_t kMaxAdu = 6 + kMaxLength;

struct Frame {
  enum class Kind : std::uint8_t {
    kNeedMore,  // the next ADU is not complete yet
    kAdu,       // a complete ADU of `size` bytes with protocol id 0
    kDrop,      // a complete ADU of `size` bytes with a protocol id other than 0: skip it
    kClose,     // the length field is outside 2..254: the stream cannot be resynchronised
  };
  Kind kind = Kind::kNeedMore;
  std::size_t size = 0;
  std::uint16_t transaction = 0;
  std::uint8_t unit = 0;
};

// Looks at the start of `stream` and says what the next ADU is.
Frame next_frame(std::span<const std::uint8_t> stream);

}  // namespace pc::modbus_ref
