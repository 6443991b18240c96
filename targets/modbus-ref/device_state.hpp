// Everything a function handler may read or change: the data tables, the file store,
// the identification objects, the communication status, the switched-on defects and
// the timing knobs. One instance per device; handlers get it by reference.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "comm_status.hpp"
#include "data_map.hpp"
#include "defects.hpp"
#include "file_store.hpp"
#include "identity.hpp"

namespace pc::modbus_ref {

struct DeviceTuning {
  // How long the hang defects (restart-option-block, partial-frame-block) block the loop.
  std::chrono::milliseconds hang{5000};
  // The scan period, also published in input register first+4.
  std::uint32_t scan_ms = 10;
  // CPU time each request costs, spent busy (a slower controller); 0: as fast as it runs.
  std::chrono::microseconds request_cost{0};
};

struct DeviceState {
  DeviceState(const MapConfig& map_config, DefectSet defect_set, DeviceTuning tuning_in)
      : map(map_config), defects(defect_set), tuning(tuning_in) {}

  DataMap map;
  FileStore files;
  Identity identity;
  CommStatus comm;
  DefectSet defects;
  DeviceTuning tuning;
  // Work counter of the FIFO walk; atomic so a loop that never ends still has an
  // observable side effect and the compiler keeps it as written.
  std::atomic<std::uint64_t> fifo_steps{0};
};

}  // namespace pc::modbus_ref
