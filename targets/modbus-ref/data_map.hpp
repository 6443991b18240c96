// The four Modbus data tables (MODBUS Application Protocol V1.1b3, section 4.3):
// coils, discrete inputs, holding registers and input registers, each mapped at a
// configurable range [first, first + count) of the 0..65535 address space.
//
// The holding-register table shares one allocation with a 128-word maintenance block
// (a session-key string) that sits right after the last register, the way a firmware
// struct places a neighbouring field after an array. A correct handler never reaches
// it; the seeded defects `holding-overread` and `write-register-off-by-one` do, without
// leaving the allocation, so AddressSanitizer stays silent and the bytes leak or change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace pc::modbus_ref {

// A mapped address range of one table.
struct TableRange {
  std::uint16_t first = 0;
  std::uint32_t count = 0;  // 1..65536 - first

  // True when [address, address + quantity) lies inside the range (quantity >= 1).
  bool contains(std::uint32_t address, std::uint32_t quantity) const {
    return address >= first && quantity >= 1 && address + quantity <= first + count;
  }
  std::uint32_t end() const { return first + count; }
};

struct MapConfig {
  TableRange coils{0, 4096};
  TableRange discrete_inputs{0, 4096};
  TableRange holding_registers{0, 1000};
  TableRange input_registers{0, 1000};
};

// One bit table; each bit stored as a byte holding 0 or 1.
class BitTable {
 public:
  explicit BitTable(TableRange range) : range_(range), bits_(range.count, 0) {}
  const TableRange& range() const { return range_; }
  bool get(std::uint32_t address) const { return bits_[address - range_.first] != 0; }
  void set(std::uint32_t address, bool value) { bits_[address - range_.first] = value ? 1 : 0; }
  // Offset-based access for the simulated process (offset < count).
  void set_offset(std::uint32_t offset, bool value) { bits_[offset] = value ? 1 : 0; }
  bool get_offset(std::uint32_t offset) const { return bits_[offset] != 0; }

 private:
  TableRange range_;
  std::vector<std::uint8_t> bits_;
};

// One register table, optionally followed by `tail_words` of other data in the same
// allocation (see the file comment).
class RegisterTable {
 public:
  RegisterTable(TableRange range, std::size_t tail_words)
      : range_(range), words_(range.count + tail_words, 0) {}
  const TableRange& range() const { return range_; }
  std::uint16_t get(std::uint32_t address) const { return words_[address - range_.first]; }
  void set(std::uint32_t address, std::uint16_t value) { words_[address - range_.first] = value; }
  std::uint16_t get_offset(std::uint32_t offset) const { return words_[offset]; }
  void set_offset(std::uint32_t offset, std::uint16_t value) { words_[offset] = value; }
  // The whole allocation, table then tail: what unchecked code reaches by pointer.
  std::uint16_t* raw() { return words_.data(); }
  std::span<const std::uint16_t> tail() const {
    return std::span<const std::uint16_t>(words_).subspan(range_.count);
  }

 private:
  TableRange range_;
  std::vector<std::uint16_t> words_;
};

// The maintenance block after the holding registers: kSessionKey in ASCII, two
// characters per register (high byte first), padded with zero words to 128 words.
inline constexpr std::size_t kMaintenanceWords = 128;
inline constexpr std::string_view kSessionKey =
    "PCREF-SESSION-KEY:7f3a9c21e4b8d05f;maint-user=service;maint-pass=Modbus!2024";

class DataMap {
 public:
  explicit DataMap(const MapConfig& config);

  BitTable& coils() { return coils_; }
  BitTable& discrete_inputs() { return discrete_inputs_; }
  RegisterTable& holding() { return holding_; }
  RegisterTable& input() { return input_; }

 private:
  BitTable coils_;
  BitTable discrete_inputs_;
  RegisterTable holding_;
  RegisterTable input_;
};

}  // namespace pc::modbus_ref
