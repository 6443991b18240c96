// A hand-written Modbus/TCP decoder and encoder for the function codes of ModbusTCP.pcap
// (1, 2, 4, 15, 16): the baseline the model-driven codec is measured against. It checks
// what the model checks for these codes (protocol id, length, quantity ranges, byte
// counts) so the comparison is fair.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace pc::bench {

struct HandAdu {
  uint16_t tid = 0, pid = 0, len = 0;
  uint8_t unit = 0, fc = 0, byte_count = 0;
  uint16_t address = 0, quantity = 0;
  uint16_t registers[128] = {};
  uint8_t nregs = 0;
  const uint8_t* data = nullptr;  // coil bytes
  uint8_t ndata = 0;
  uint8_t broken = 0;  // rules broken
  bool ok = false;
};

bool hand_decode(std::span<const uint8_t> in, bool request, HandAdu& out);
size_t hand_encode(const HandAdu& adu, bool request, uint8_t* out);

}  // namespace pc::bench
