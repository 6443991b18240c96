// One function per Modbus function code (MODBUS Application Protocol V1.1b3, section 6).
// Each takes the request PDU and the device state and returns the reply; each applies
// the spec's checks in the spec's order: quantity and structure (exception 3), then
// addresses (exception 2), then the action (exception 4 if it fails).
#pragma once

#include "device_state.hpp"
#include "reply.hpp"

namespace pc::modbus_ref {

// fc_bits.cpp
Reply read_bits(const Request& request, DeviceState& state);  // 01 and 02
Reply write_single_coil(const Request& request, DeviceState& state);
Reply write_multiple_coils(const Request& request, DeviceState& state);
Reply read_exception_status(const Request& request, DeviceState& state);

// fc_registers.cpp
Reply read_registers(const Request& request, DeviceState& state);  // 03 and 04
Reply write_single_register(const Request& request, DeviceState& state);
Reply write_multiple_registers(const Request& request, DeviceState& state);
Reply mask_write_register(const Request& request, DeviceState& state);
Reply read_write_multiple_registers(const Request& request, DeviceState& state);

// fc_fifo.cpp
Reply read_fifo_queue(const Request& request, DeviceState& state);

// fc_diagnostics.cpp
Reply diagnostics(const Request& request, DeviceState& state);
Reply get_comm_event_counter(const Request& request, DeviceState& state);
Reply get_comm_event_log(const Request& request, DeviceState& state);

// fc_files.cpp
Reply read_file_record(const Request& request, DeviceState& state);
Reply write_file_record(const Request& request, DeviceState& state);

// fc_identification.cpp
Reply report_server_id(const Request& request, DeviceState& state);
Reply encapsulated_interface(const Request& request, DeviceState& state);  // 43 / MEI 14

}  // namespace pc::modbus_ref
