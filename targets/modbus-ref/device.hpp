// The Modbus server application layer: takes the PDU of one ADU and returns the reply.
// It enforces what no single handler can: unit id filtering, Listen Only Mode (only
// 08/01 is processed, silently), the diagnostic counters, the comm event counter and
// event log, and the work that runs after a reply (restart, clear counters, ...).
// It knows nothing about sockets; the server (server.hpp) feeds it ADUs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "device_state.hpp"
#include "process_sim.hpp"
#include "reply.hpp"

namespace pc::modbus_ref {

struct DeviceConfig {
  MapConfig map;
  DefectSet defects;
  DeviceTuning tuning;
  // Serve only this unit id; requests to others get no answer. Empty: serve any.
  std::optional<std::uint8_t> unit_id;
};

class Device {
 public:
  explicit Device(const DeviceConfig& config);
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // An MBAP header was dropped (protocol id) or closed on (length): a comm error.
  void count_comm_error();
  // One complete ADU with protocol id 0: the unit id and the PDU (at least 1 byte).
  Reply handle(std::uint8_t unit, std::span<const std::uint8_t> pdu);
  // One scan of the simulated process.
  void scan() { process_.scan(); }
  std::uint64_t scans() const { return process_.scans(); }
  const DefectSet& defects() const { return state_.defects; }
  const DeviceTuning& tuning() const { return state_.tuning; }

 private:
  Reply dispatch(const Request& request);
  Reply handle_listen_only(const Request& request);
  void account(const Request& request, const Reply& reply);
  void run_after(AfterReply after);

  DeviceState state_;
  ProcessSim process_;
  std::optional<std::uint8_t> unit_id_;
};

}  // namespace pc::modbus_ref
