// A Modbus/TCP server built on Debian's libmodbus, run the way libmodbus documents it
// for several clients: one select() loop over modbus_tcp_listen, accept,
// modbus_receive and modbus_reply against one modbus_mapping_new. It gives the fuzzer a
// third-party stack to attack next to the project's own reference device.
#pragma once

#include <cstdint>
#include <string>

namespace pc::libmodbus_harness {

struct HarnessConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 1503;
  // modbus_set_response_timeout: libmodbus sleeps this long before some exception
  // answers and then flushes the connection's input. libmodbus's default: 0.5 s.
  std::uint32_t response_timeout_us = 500000;
};

// The mapping (modbus_mapping_new), all tables starting at address 0.
inline constexpr int kCoils = 1000;
inline constexpr int kDiscreteInputs = 1000;
inline constexpr int kHoldingRegisters = 1000;
inline constexpr int kInputRegisters = 1000;

// Binds, prints "listening on ADDRESS:PORT", serves until SIGTERM or SIGINT.
// Returns the process exit code (2 when the socket cannot be set up).
int serve(const HarnessConfig& config);

}  // namespace pc::libmodbus_harness
