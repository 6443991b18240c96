#include "core/model/checksum.hpp"

#include <array>

namespace pc::model {
namespace {

// Reflected CRC-16 with a 256-entry table built at compile time.
template <uint16_t kPoly>
struct Crc16Table {
  std::array<uint16_t, 256> t{};
  constexpr Crc16Table() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint16_t c = static_cast<uint16_t>(i);
      for (int k = 0; k < 8; ++k) c = (c & 1) ? static_cast<uint16_t>((c >> 1) ^ kPoly) : static_cast<uint16_t>(c >> 1);
      t[i] = c;
    }
  }
};

template <uint16_t kPoly>
uint16_t crc16_reflected(std::span<const uint8_t> data, uint16_t init, uint16_t xorout) {
  static constexpr Crc16Table<kPoly> table;
  uint16_t crc = init;
  for (uint8_t b : data) crc = static_cast<uint16_t>((crc >> 8) ^ table.t[(crc ^ b) & 0xFF]);
  return static_cast<uint16_t>(crc ^ xorout);
}

// CRC-16/MODBUS: poly 0x8005 reflected (0xA001), init 0xFFFF, no xorout.
uint64_t crc16_modbus(std::span<const uint8_t> d) { return crc16_reflected<0xA001>(d, 0xFFFF, 0); }
// CRC-16/DNP: poly 0x3D65 reflected (0xA6BC), init 0, xorout 0xFFFF.
uint64_t crc16_dnp(std::span<const uint8_t> d) { return crc16_reflected<0xA6BC>(d, 0, 0xFFFF); }
// CRC-16/IBM-SDLC (X.25 frame check sequence): poly 0x1021 reflected (0x8408), init and xorout 0xFFFF.
uint64_t crc16_x25(std::span<const uint8_t> d) { return crc16_reflected<0x8408>(d, 0xFFFF, 0xFFFF); }

uint64_t crc32_ieee(std::span<const uint8_t> d) {
  struct Table {
    std::array<uint32_t, 256> t{};
    constexpr Table() {
      for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        t[i] = c;
      }
    }
  };
  static constexpr Table table;
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t b : d) crc = (crc >> 8) ^ table.t[(crc ^ b) & 0xFF];
  return crc ^ 0xFFFFFFFFu;
}

uint64_t sum8(std::span<const uint8_t> d) {
  uint8_t s = 0;
  for (uint8_t b : d) s = static_cast<uint8_t>(s + b);
  return s;
}
uint64_t xor8(std::span<const uint8_t> d) {
  uint8_t s = 0;
  for (uint8_t b : d) s ^= b;
  return s;
}
// Longitudinal redundancy check (two's complement of the byte sum).
uint64_t lrc8(std::span<const uint8_t> d) { return static_cast<uint8_t>(0 - sum8(d)); }

constexpr std::array<ChecksumAlgo, 7> kAlgos = {{
    {"crc16_modbus", 2, crc16_modbus, "CRC-16/MODBUS (0x8005 reflected, init 0xFFFF)"},
    {"crc16_dnp", 2, crc16_dnp, "CRC-16/DNP (0x3D65 reflected, init 0, xorout 0xFFFF)"},
    {"crc16_x25", 2, crc16_x25, "CRC-16/IBM-SDLC, the X.25 frame check sequence (0x1021 reflected, init/xorout 0xFFFF)"},
    {"crc32", 4, crc32_ieee, "CRC-32 (IEEE 802.3)"},
    {"sum8", 1, sum8, "8-bit sum"},
    {"xor8", 1, xor8, "8-bit XOR"},
    {"lrc8", 1, lrc8, "8-bit longitudinal redundancy check"},
}};

}  // namespace

const ChecksumAlgo* find_checksum(std::string_view name) {
  for (const auto& a : kAlgos) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

const ChecksumAlgo& checksum_at(uint32_t index) { return kAlgos[index % kAlgos.size()]; }

uint32_t checksum_index(const ChecksumAlgo* algo) { return static_cast<uint32_t>(algo - kAlgos.data()); }

std::span<const ChecksumAlgo> checksums() { return kAlgos; }

}  // namespace pc::model
