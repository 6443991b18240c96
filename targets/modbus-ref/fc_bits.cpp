// Bit access: Read Coils (01), Read Discrete Inputs (02), Write Single Coil (05),
// Write Multiple Coils (15), Read Exception Status (07).
#include "handlers.hpp"

namespace pc::modbus_ref {
namespace {

constexpr std::uint32_t kMaxReadBits = 2000;   // 0x07D0, sections 6.1 and 6.2
constexpr std::uint32_t kMaxWriteBits = 1968;  // 0x07B0, section 6.11
// What `read-coils-quantity` checks instead: "the byte count must fit in one byte".
constexpr std::uint32_t kDefectMaxReadBits = 255 * 8;

}  // namespace

Reply read_bits(const Request& request, DeviceState& state) {
  if (request.size() != 5) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const bool coils = request.function() == fc::kReadCoils;
  const std::uint32_t address = request.u16(1);
  const std::uint32_t quantity = request.u16(3);
  const bool loose = coils && state.defects.on(Defect::kReadCoilsQuantity);
  const std::uint32_t max_quantity = loose ? kDefectMaxReadBits : kMaxReadBits;
  if (quantity < 1 || quantity > max_quantity) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const BitTable& table = coils ? state.map.coils() : state.map.discrete_inputs();
  if (!table.range().contains(address, quantity)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  const std::uint32_t byte_count = (quantity + 7) / 8;
  PduBuilder out(request.function());
  out.u8(static_cast<std::uint8_t>(byte_count));
  for (std::uint32_t byte = 0; byte < byte_count; ++byte) {
    std::uint8_t packed = 0;
    for (std::uint32_t bit = 0; bit < 8 && byte * 8 + bit < quantity; ++bit) {
      if (table.get(address + byte * 8 + bit)) {
        packed = static_cast<std::uint8_t>(packed | (1U << bit));
      }
    }
    out.u8(packed);
  }
  return out.done();
}

Reply write_single_coil(const Request& request, DeviceState& state) {
  if (request.size() != 5) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint32_t address = request.u16(1);
  const std::uint16_t value = request.u16(3);
  if (value != 0x0000 && value != 0xFF00) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  BitTable& table = state.map.coils();
  if (!table.range().contains(address, 1)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  table.set(address, value == 0xFF00);
  return PduBuilder(request.function()).bytes(request.bytes().subspan(1)).done();
}

Reply write_multiple_coils(const Request& request, DeviceState& state) {
  if (request.size() < 6) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint32_t address = request.u16(1);
  const std::uint32_t quantity = request.u16(3);
  const std::uint32_t byte_count = request.u8(5);
  if (quantity < 1 || quantity > kMaxWriteBits || byte_count != (quantity + 7) / 8 ||
      request.size() != 6 + byte_count) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  BitTable& table = state.map.coils();
  if (!table.range().contains(address, quantity)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  for (std::uint32_t i = 0; i < quantity; ++i) {
    const std::uint8_t packed = request.u8(6 + i / 8);
    table.set(address + i, ((packed >> (i % 8)) & 1U) != 0);
  }
  return PduBuilder(request.function())
      .u16(static_cast<std::uint16_t>(address))
      .u16(static_cast<std::uint16_t>(quantity))
      .done();
}

Reply read_exception_status(const Request& request, DeviceState& state) {
  if (request.size() != 1) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  // The eight exception status outputs are the first eight coils of the table.
  const BitTable& coils = state.map.coils();
  std::uint8_t status = 0;
  for (std::uint32_t bit = 0; bit < 8 && bit < coils.range().count; ++bit) {
    if (coils.get_offset(bit)) {
      status = static_cast<std::uint8_t>(status | (1U << bit));
    }
  }
  return PduBuilder(request.function()).u8(status).done();
}

}  // namespace pc::modbus_ref
