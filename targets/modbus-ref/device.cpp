#include "device.hpp"

#include "handlers.hpp"

namespace pc::modbus_ref {
namespace {

bool is_read(std::uint8_t function) {
  return function >= fc::kReadCoils && function <= fc::kReadInputRegisters;
}

bool is_restart(const Request& request) {
  return request.function() == fc::kDiagnostics && request.size() >= 3 && request.u16(1) == 0x0001;
}

}  // namespace

Device::Device(const DeviceConfig& config)
    : state_(config.map, config.defects, config.tuning),
      process_(state_.map, config.tuning.scan_ms),
      unit_id_(config.unit_id) {}

void Device::count_comm_error() {
  ++state_.comm.counters().bus_comm_error;
  ++state_.comm.counters().bus_message;
}

Reply Device::handle(std::uint8_t unit, std::span<const std::uint8_t> pdu) {
  DiagCounters& counters = state_.comm.counters();
  ++counters.bus_message;
  if (unit_id_ && unit != *unit_id_) {
    return Reply::none();  // addressed to another device: not ours to answer
  }
  ++counters.server_message;
  const Request request(pdu);
  const bool listening = state_.comm.listen_only();
  state_.comm.log_event(
      static_cast<std::uint8_t>(event::kReceive | (listening ? event::kReceiveListenOnly : 0)));
  if (listening) {
    const bool served = state_.defects.on(Defect::kListenOnlyReads) && is_read(request.function());
    if (!served) {
      return handle_listen_only(request);
    }
  }
  Reply reply = dispatch(request);
  account(request, reply);
  run_after(reply.after());
  return reply;
}

Reply Device::handle_listen_only(const Request& request) {
  // Section 6.8.1: in Listen Only Mode nothing is executed or answered except
  // Restart Communications Option, which leaves the mode without a response.
  ++state_.comm.counters().server_no_response;
  if (is_restart(request) && request.size() == 5) {
    const std::uint16_t data = request.u16(3);
    if (data == 0x0000 || data == 0xFF00) {
      state_.comm.restart(data == 0xFF00);
    }
  }
  return Reply::none();
}

Reply Device::dispatch(const Request& request) {
  DeviceState& s = state_;
  switch (request.function()) {
    case fc::kReadCoils:
    case fc::kReadDiscreteInputs:
      return read_bits(request, s);
    case fc::kReadHoldingRegisters:
    case fc::kReadInputRegisters:
      return read_registers(request, s);
    case fc::kWriteSingleCoil:
      return write_single_coil(request, s);
    case fc::kWriteSingleRegister:
      return write_single_register(request, s);
    case fc::kReadExceptionStatus:
      return read_exception_status(request, s);
    case fc::kDiagnostics:
      return diagnostics(request, s);
    case fc::kGetCommEventCounter:
      return get_comm_event_counter(request, s);
    case fc::kGetCommEventLog:
      return get_comm_event_log(request, s);
    case fc::kWriteMultipleCoils:
      return write_multiple_coils(request, s);
    case fc::kWriteMultipleRegisters:
      return write_multiple_registers(request, s);
    case fc::kReportServerId:
      return report_server_id(request, s);
    case fc::kReadFileRecord:
      return read_file_record(request, s);
    case fc::kWriteFileRecord:
      return write_file_record(request, s);
    case fc::kMaskWriteRegister:
      return mask_write_register(request, s);
    case fc::kReadWriteMultipleRegisters:
      return read_write_multiple_registers(request, s);
    case fc::kReadFifoQueue:
      return read_fifo_queue(request, s);
    case fc::kEncapsulatedInterface:
      return encapsulated_interface(request, s);
    default:
      return exception_reply(request, ExceptionCode::kIllegalFunction);
  }
}

void Device::account(const Request& request, const Reply& reply) {
  CommStatus& comm = state_.comm;
  const std::uint8_t listen_bit = comm.listen_only() ? event::kSendListenOnly : 0;
  switch (reply.kind()) {
    case Reply::Kind::kNone:
      ++comm.counters().server_no_response;
      return;
    case Reply::Kind::kException: {
      ++comm.counters().bus_exception_error;
      comm.flag_exception();
      const bool abort = reply.exception_code() == ExceptionCode::kServerDeviceFailure;
      comm.log_event(static_cast<std::uint8_t>(
          event::kSend | listen_bit |
          (abort ? event::kSendAbortException : event::kSendReadException)));
      return;
    }
    case Reply::Kind::kNormal:
      comm.log_event(static_cast<std::uint8_t>(event::kSend | listen_bit));
      // Section 6.9: not incremented for exceptions and the fetch commands 11 and 12.
      if (request.function() != fc::kGetCommEventCounter &&
          request.function() != fc::kGetCommEventLog) {
        comm.count_event();
      }
      return;
  }
}

void Device::run_after(AfterReply after) {
  switch (after) {
    case AfterReply::kNothing:
      return;
    case AfterReply::kRestartKeepLog:
      state_.comm.restart(false);
      return;
    case AfterReply::kRestartClearLog:
      state_.comm.restart(true);
      return;
    case AfterReply::kEnterListenOnly:
      state_.comm.enter_listen_only();
      return;
    case AfterReply::kClearCounters:
      state_.comm.clear_counters();
      return;
    case AfterReply::kClearOverrun:
      state_.comm.clear_overrun();
      return;
  }
}

}  // namespace pc::modbus_ref
