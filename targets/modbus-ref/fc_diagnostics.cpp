// Diagnostics (08), Get Comm Event Counter (11), Get Comm Event Log (12):
// MODBUS Application Protocol V1.1b3 sections 6.8 to 6.10.
//
// Listen Only Mode is enforced by the dispatcher (device.cpp), which also handles
// 08/01 while the device listens only; here 08/01 is the "not in listen only" case.
#include <thread>

#include "handlers.hpp"

namespace pc::modbus_ref {
namespace {

namespace sub {
constexpr std::uint16_t kReturnQueryData = 0x00;
constexpr std::uint16_t kRestartCommunications = 0x01;
constexpr std::uint16_t kReturnDiagnosticRegister = 0x02;
constexpr std::uint16_t kForceListenOnly = 0x04;
constexpr std::uint16_t kClearCounters = 0x0A;
constexpr std::uint16_t kFirstCounter = 0x0B;  // bus message count
constexpr std::uint16_t kLastCounter = 0x12;   // bus character overrun count
constexpr std::uint16_t kClearOverrun = 0x14;
}  // namespace sub

std::uint16_t counter_value(const DiagCounters& c, std::uint16_t sub_function) {
  switch (sub_function) {
    case 0x0B:
      return c.bus_message;
    case 0x0C:
      return c.bus_comm_error;
    case 0x0D:
      return c.bus_exception_error;
    case 0x0E:
      return c.server_message;
    case 0x0F:
      return c.server_no_response;
    case 0x10:
      return c.server_nak;
    case 0x11:
      return c.server_busy;
    default:
      return c.bus_char_overrun;
  }
}

Reply echo(const Request& request) {
  return PduBuilder(request.function()).bytes(request.bytes().subspan(1)).done();
}

}  // namespace

Reply diagnostics(const Request& request, DeviceState& state) {
  if (request.size() < 3) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint16_t sub_function = request.u16(1);
  if (sub_function == sub::kReturnQueryData) {
    return echo(request);  // any data, returned as sent
  }
  const bool known = sub_function == sub::kRestartCommunications ||
                     sub_function == sub::kReturnDiagnosticRegister ||
                     sub_function == sub::kForceListenOnly || sub_function == sub::kClearCounters ||
                     sub_function == sub::kClearOverrun ||
                     (sub_function >= sub::kFirstCounter && sub_function <= sub::kLastCounter);
  if (!known) {
    return exception_reply(request, ExceptionCode::kIllegalFunction);
  }
  if (request.size() != 5) {  // every other sub-function carries exactly one data word
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint16_t data = request.u16(3);
  if (sub_function == sub::kRestartCommunications) {
    if (data != 0x0000 && data != 0xFF00) {
      if (!state.defects.on(Defect::kRestartOptionBlock)) {
        return exception_reply(request, ExceptionCode::kIllegalDataValue);
      }
      // Defect restart-option-block: an unknown option re-initialises the port
      // synchronously, blocking every connection for the configured hang time.
      std::this_thread::sleep_for(state.tuning.hang);
    }
    // The normal response goes out before the restart is executed.
    return echo(request).then(data == 0xFF00 ? AfterReply::kRestartClearLog
                                             : AfterReply::kRestartKeepLog);
  }
  if (data != 0x0000) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  switch (sub_function) {
    case sub::kReturnDiagnosticRegister:
      return PduBuilder(request.function())
          .u16(sub_function)
          .u16(state.comm.diagnostic_register())
          .done();
    case sub::kForceListenOnly:
      return Reply::none().then(AfterReply::kEnterListenOnly);  // no response (6.8.1)
    case sub::kClearCounters:
      return echo(request).then(AfterReply::kClearCounters);
    case sub::kClearOverrun:
      return echo(request).then(AfterReply::kClearOverrun);
    default:
      return PduBuilder(request.function())
          .u16(sub_function)
          .u16(counter_value(state.comm.counters(), sub_function))
          .done();
  }
}

Reply get_comm_event_counter(const Request& request, DeviceState& state) {
  if (request.size() != 1) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  // Status 0x0000: no program command still being processed.
  return PduBuilder(request.function()).u16(0x0000).u16(state.comm.event_counter()).done();
}

Reply get_comm_event_log(const Request& request, DeviceState& state) {
  if (request.size() != 1) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const auto events = state.comm.events();
  return PduBuilder(request.function())
      .u8(static_cast<std::uint8_t>(6 + events.size()))
      .u16(0x0000)  // status
      .u16(state.comm.event_counter())
      .u16(state.comm.counters().bus_message)
      .bytes(events)
      .done();
}

}  // namespace pc::modbus_ref
