#include "reply.hpp"

#include "byte_order.hpp"

namespace pc::modbus_ref {

Reply Reply::exception(std::uint8_t function, ExceptionCode code) {
  // Section 7: the function code with its high bit set, then the exception code.
  return Reply(Kind::kException,
               {static_cast<std::uint8_t>(function | 0x80), static_cast<std::uint8_t>(code)});
}

ExceptionCode Reply::exception_code() const {
  return static_cast<ExceptionCode>(pdu_.size() > 1 ? pdu_[1] : 0);
}

PduBuilder& PduBuilder::u8(std::uint8_t value) {
  bytes_.push_back(value);
  return *this;
}

PduBuilder& PduBuilder::u16(std::uint16_t value) {
  append_be16(bytes_, value);
  return *this;
}

PduBuilder& PduBuilder::bytes(std::span<const std::uint8_t> values) {
  bytes_.insert(bytes_.end(), values.begin(), values.end());
  return *this;
}

std::uint16_t Request::u16(std::size_t at) const {
  return load_be16(pdu_, at);
}

}  // namespace pc::modbus_ref
