// Read FIFO Queue (24), MODBUS Application Protocol V1.1b3 section 6.18.
//
// A FIFO lives in the holding registers: the register at the FIFO pointer address
// holds the count of queued values (0..31) and the values follow it. A client fills a
// FIFO with Write Multiple Registers and reads it with this function.
#include <array>

#include "handlers.hpp"

namespace pc::modbus_ref {
namespace {

constexpr std::uint32_t kMaxFifoCount = 31;

// Defect fifo-count-spin: the queue is copied through a 32-entry ring whose index is
// compared with the count for equality; a count above 31 is never reached, so the walk
// never ends and the whole device stops. Nothing but a restart of the process helps.
void spin_through_ring(RegisterTable& table, std::uint32_t pointer, std::uint32_t count,
                       DeviceState& state) {
  std::array<std::uint16_t, kMaxFifoCount + 1> ring{};
  std::uint32_t index = 0;
  while (index != count) {
    ring[index] = table.raw()[pointer - table.range().first + 1 + index];
    index = (index + 1) % ring.size();
    state.fifo_steps.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace

Reply read_fifo_queue(const Request& request, DeviceState& state) {
  if (request.size() != 3) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint32_t pointer = request.u16(1);
  RegisterTable& table = state.map.holding();
  if (!table.range().contains(pointer, 1)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  const std::uint32_t count = table.get(pointer);
  if (state.defects.on(Defect::kFifoCountSpin) && count > kMaxFifoCount) {
    spin_through_ring(table, pointer, count, state);
  }
  if (count > kMaxFifoCount) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  if (count > 0 && !table.range().contains(pointer + 1, count)) {
    return exception_reply(request, ExceptionCode::kIllegalDataAddress);
  }
  PduBuilder out(request.function());
  out.u16(static_cast<std::uint16_t>(2 + 2 * count));  // byte count: FIFO count + values
  out.u16(static_cast<std::uint16_t>(count));
  for (std::uint32_t i = 0; i < count; ++i) {
    out.u16(table.get(pointer + 1 + i));
  }
  return out.done();
}

}  // namespace pc::modbus_ref
