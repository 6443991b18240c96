// Register access: Read Holding Registers (03), Read Input Registers (04), Write Single
// Register (06), Write Multiple Registers (16), Mask Write Register (22),
// Read/Write Multiple Registers (23).
#include <array>
#include <cstring>

#include "handlers.hpp"

namespace pc::modbus_ref {
namespace {

constexpr std::uint32_t kMaxReadRegisters = 125;     // 0x7D, sections 6.3 and 6.4
constexpr std::uint32_t kMaxWriteRegisters = 123;    // 0x7B, section 6.12
constexpr std::uint32_t kMaxRwWriteRegisters = 121;  // 0x79, section 6.17

// Appends `quantity` registers starting at raw word `offset` of a table allocation.
void append_words(PduBuilder& out, const std::uint16_t* words, std::uint32_t offset,
                  std::uint32_t quantity) {
  for (std::uint32_t i = 0; i < quantity; ++i) {
    out.u16(words[offset + i]);
  }
}

}  // namespace

Reply read_registers(const Request& request, DeviceState& state) {
  if (request.size() != 5) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const bool holding = request.function() == fc::kReadHoldingRegisters;
  const std::uint32_t address = request.u16(1);
  const std::uint32_t quantity = request.u16(3);
  if (quantity < 1 || quantity > kMaxReadRegisters) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  RegisterTable& table = holding ? state.map.holding() : state.map.input();
  // Defect holding-overread: only the start address is checked, so the read runs on
  // past the last register into the maintenance block that follows it in memory.
  const bool start_only = holding && state.defects.on(Defect::kHoldingOverread);
  const bool in_range =
      start_only ? table.range().contains(address, 1) : table.range().contains(address, quantity);
  if (!in_range) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  PduBuilder out(request.function());
  out.u8(static_cast<std::uint8_t>(quantity * 2));
  append_words(out, table.raw(), address - table.range().first, quantity);
  return out.done();
}

Reply write_single_register(const Request& request, DeviceState& state) {
  if (request.size() != 5) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint32_t address = request.u16(1);
  const std::uint16_t value = request.u16(3);
  RegisterTable& table = state.map.holding();
  // Defect write-register-off-by-one: "address <= end" instead of "address < end".
  const bool off_by_one =
      state.defects.on(Defect::kWriteRegisterOffByOne) && address == table.range().end();
  if (!table.range().contains(address, 1) && !off_by_one) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  table.raw()[address - table.range().first] = value;
  return PduBuilder(request.function()).bytes(request.bytes().subspan(1)).done();
}

Reply write_multiple_registers(const Request& request, DeviceState& state) {
  if (request.size() < 6) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint32_t address = request.u16(1);
  const std::uint32_t quantity = request.u16(3);
  const std::uint32_t byte_count = request.u8(5);
  // Defect write-multiple-overflow: the byte count is checked against the frame but
  // neither the quantity limit nor "byte count == 2 x quantity" is checked.
  const bool trusting = state.defects.on(Defect::kWriteMultipleOverflow);
  const bool valid_counts =
      trusting ? quantity >= 1
               : quantity >= 1 && quantity <= kMaxWriteRegisters && byte_count == quantity * 2;
  if (!valid_counts || request.size() != 6 + byte_count) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  RegisterTable& table = state.map.holding();
  if (!table.range().contains(address, quantity)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  // The values are staged first so that a write is all or nothing.
  std::array<std::uint8_t, kMaxWriteRegisters * 2> staged{};
  const std::uint8_t* values = request.bytes().data() + 6;
  if (trusting) {
    // The copy length comes from the quantity, not from the checked byte count.
    std::memcpy(staged.data(), values, static_cast<std::size_t>(quantity) * 2);
  } else {
    std::memcpy(staged.data(), values, byte_count);
  }
  for (std::uint32_t i = 0; i < quantity; ++i) {
    table.set(address + i, static_cast<std::uint16_t>((staged[2 * i] << 8) | staged[2 * i + 1]));
  }
  return PduBuilder(request.function())
      .u16(static_cast<std::uint16_t>(address))
      .u16(static_cast<std::uint16_t>(quantity))
      .done();
}

Reply mask_write_register(const Request& request, DeviceState& state) {
  if (request.size() != 7) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint32_t address = request.u16(1);
  const std::uint16_t and_mask = request.u16(3);
  const std::uint16_t or_mask = request.u16(5);
  RegisterTable& table = state.map.holding();
  if (!table.range().contains(address, 1)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  // Section 6.16: Result = (Current AND And_Mask) OR (Or_Mask AND (NOT And_Mask)).
  const std::uint16_t current = table.get(address);
  table.set(address, static_cast<std::uint16_t>((current & and_mask) | (or_mask & ~and_mask)));
  return PduBuilder(request.function()).bytes(request.bytes().subspan(1)).done();
}

Reply read_write_multiple_registers(const Request& request, DeviceState& state) {
  if (request.size() < 10) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint32_t read_address = request.u16(1);
  const std::uint32_t read_quantity = request.u16(3);
  const std::uint32_t write_address = request.u16(5);
  const std::uint32_t write_quantity = request.u16(7);
  const std::uint32_t byte_count = request.u8(9);
  if (read_quantity < 1 || read_quantity > kMaxReadRegisters || write_quantity < 1 ||
      write_quantity > kMaxRwWriteRegisters || byte_count != write_quantity * 2 ||
      request.size() != 10 + byte_count) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  RegisterTable& table = state.map.holding();
  if (!table.range().contains(read_address, read_quantity) ||
      !table.range().contains(write_address, write_quantity)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  // The write is performed before the read (section 6.17).
  for (std::uint32_t i = 0; i < write_quantity; ++i) {
    table.set(write_address + i, request.u16(10 + 2 * i));
  }
  PduBuilder out(request.function());
  out.u8(static_cast<std::uint8_t>(read_quantity * 2));
  append_words(out, table.raw(), read_address - table.range().first, read_quantity);
  return out.done();
}

}  // namespace pc::modbus_ref
