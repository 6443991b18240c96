#include "process_sim.hpp"

namespace pc::modbus_ref {

std::uint16_t triangle(std::uint64_t scan) {
  const std::uint64_t phase = scan % kTrianglePeriod;
  const std::uint64_t half = kTrianglePeriod / 2;
  return static_cast<std::uint16_t>(phase <= half ? phase * 10 : (kTrianglePeriod - phase) * 10);
}

ProcessSim::ProcessSim(DataMap& map, std::uint32_t scan_ms) : map_(map), scan_ms_(scan_ms) {
  map_.holding().set_offset(2, kInitialSetpoint);
  publish();  // the tables hold the values of s = 0 before the first scan
}

void ProcessSim::scan() {
  ++scans_;
  // The ramp output moves one unit per scan toward the setpoint.
  RegisterTable& holding = map_.holding();
  const std::uint16_t output = holding.get_offset(1);
  const std::uint16_t setpoint = holding.get_offset(2);
  if (output < setpoint) {
    holding.set_offset(1, static_cast<std::uint16_t>(output + 1));
  } else if (output > setpoint) {
    holding.set_offset(1, static_cast<std::uint16_t>(output - 1));
  }
  publish();
}

void ProcessSim::publish() {
  const std::uint64_t s = scans_;
  RegisterTable& input = map_.input();
  input.set_offset(0, static_cast<std::uint16_t>(s & 0xFFFF));
  input.set_offset(1, triangle(s));
  input.set_offset(2, kSineTable[s % kSineTable.size()]);
  input.set_offset(3, static_cast<std::uint16_t>((s >> 16) & 0xFFFF));
  input.set_offset(4, static_cast<std::uint16_t>(scan_ms_ & 0xFFFF));
  map_.holding().set_offset(0, static_cast<std::uint16_t>((s / 10) & 0xFFFF));
  const bool toggle = (s / kToggleScans) % 2 == 1;
  map_.coils().set_offset(0, toggle);
  map_.discrete_inputs().set_offset(0, toggle);
  map_.discrete_inputs().set_offset(1, triangle(s) >= 500);
}

}  // namespace pc::modbus_ref
