// What a function handler hands back to the dispatcher: a normal response PDU, an
// exception response, or nothing at all (Force Listen Only Mode and listen-only
// silence), plus what the device must do once the reply has been accounted for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "function_code.hpp"

namespace pc::modbus_ref {

// Work that runs after the reply is counted and logged, so that, for example, the
// counters read as zero after "Clear Counters" even though its echo is a normal reply.
enum class AfterReply : std::uint8_t {
  kNothing,
  kRestartKeepLog,   // 08/01 with data 0x0000
  kRestartClearLog,  // 08/01 with data 0xFF00
  kEnterListenOnly,  // 08/04
  kClearCounters,    // 08/0A
  kClearOverrun,     // 08/14
};

class Reply {
 public:
  enum class Kind : std::uint8_t { kNormal, kException, kNone };

  static Reply normal(std::vector<std::uint8_t> pdu) {
    return Reply(Kind::kNormal, std::move(pdu));
  }
  static Reply exception(std::uint8_t function, ExceptionCode code);
  static Reply none() { return Reply(Kind::kNone, {}); }

  Reply then(AfterReply after) && {
    after_ = after;
    return std::move(*this);
  }

  Kind kind() const { return kind_; }
  std::span<const std::uint8_t> pdu() const { return pdu_; }
  // Only meaningful for kException.
  ExceptionCode exception_code() const;
  AfterReply after() const { return after_; }

 private:
  Reply(Kind kind, std::vector<std::uint8_t> pdu) : kind_(kind), pdu_(std::move(pdu)) {}

  Kind kind_;
  std::vector<std::uint8_t> pdu_;
  AfterReply after_ = AfterReply::kNothing;
};

// Builds a normal response PDU field by field.
class PduBuilder {
 public:
  explicit PduBuilder(std::uint8_t function) { bytes_.push_back(function); }
  PduBuilder& u8(std::uint8_t value);
  PduBuilder& u16(std::uint16_t value);
  PduBuilder& bytes(std::span<const std::uint8_t> values);
  std::size_t size() const { return bytes_.size(); }
  // Hands the bytes over; the builder is empty afterwards.
  Reply done() { return Reply::normal(std::move(bytes_)); }

 private:
  std::vector<std::uint8_t> bytes_;
};

// A request PDU (function code + data) with bounds-checked field reads.
class Request {
 public:
  explicit Request(std::span<const std::uint8_t> pdu) : pdu_(pdu) {}
  std::uint8_t function() const { return pdu_[0]; }
  std::size_t size() const { return pdu_.size(); }
  std::span<const std::uint8_t> bytes() const { return pdu_; }
  // Field reads; the handler has checked size() first.
  std::uint8_t u8(std::size_t at) const { return pdu_[at]; }
  std::uint16_t u16(std::size_t at) const;

 private:
  std::span<const std::uint8_t> pdu_;
};

// Shorthand used by every handler.
inline Reply exception_reply(const Request& request, ExceptionCode code) {
  return Reply::exception(request.function(), code);
}

}  // namespace pc::modbus_ref
