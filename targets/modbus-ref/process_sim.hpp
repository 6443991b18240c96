// The simulated process: a scan cycle that moves a documented block of the data tables
// as a pure function of the scan counter s (docs/targets.md, "Simulated process"), so a
// monitor can check both that values move and that they are right.
//
//   IR first+0 = s mod 65536              HR first+0 = (s / 10) mod 65536
//   IR first+1 = triangle(s), 0..1000     HR first+1 = ramp: one step per scan toward HR+2
//   IR first+2 = kSineTable[s mod 64]     HR first+2 = ramp setpoint (clients write it)
//   IR first+3 = (s / 65536) mod 65536    coil first+0 = DI first+0 = (s / 50) mod 2
//   IR first+4 = scan period in ms        DI first+1 = IR first+1 >= 500
#pragma once

#include <array>
#include <cstdint>

#include "data_map.hpp"

namespace pc::modbus_ref {

// round(1000 + 1000 * sin(2 * pi * k / 64)), k = 0..63.
inline constexpr std::array<std::uint16_t, 64> kSineTable{
    1000, 1098, 1195, 1290, 1383, 1471, 1556, 1634, 1707, 1773, 1831, 1882, 1924, 1957, 1981, 1995,
    2000, 1995, 1981, 1957, 1924, 1882, 1831, 1773, 1707, 1634, 1556, 1471, 1383, 1290, 1195, 1098,
    1000, 902,  805,  710,  617,  529,  444,  366,  293,  227,  169,  118,  76,   43,   19,   5,
    0,    5,    19,   43,   76,   118,  169,  227,  293,  366,  444,  529,  617,  710,  805,  902};

inline constexpr std::uint64_t kTrianglePeriod = 200;  // scans
inline constexpr std::uint64_t kToggleScans = 50;      // scans per coil/DI 0 half-period
inline constexpr std::uint16_t kInitialSetpoint = 500;

std::uint16_t triangle(std::uint64_t scan);

class ProcessSim {
 public:
  ProcessSim(DataMap& map, std::uint32_t scan_ms);

  // Runs one scan: s += 1, then every process value is recomputed.
  void scan();
  std::uint64_t scans() const { return scans_; }

 private:
  void publish();

  DataMap& map_;
  std::uint32_t scan_ms_;
  std::uint64_t scans_ = 0;
};

}  // namespace pc::modbus_ref
