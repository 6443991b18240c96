// Extended memory files for Read/Write File Record (function codes 20 and 21,
// MODBUS Application Protocol V1.1b3, sections 6.14 and 6.15): kFileCount files numbered
// 1..kFileCount, each kRecordsPerFile 16-bit records numbered 0..0x270F, all zero at start.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace pc::modbus_ref {

class FileStore {
 public:
  static constexpr std::uint16_t kFileCount = 4;
  static constexpr std::uint32_t kRecordsPerFile = 10000;  // records 0x0000..0x270F

  FileStore();

  // True when file `file` exists and records [record, record + length) lie in it
  // (length >= 1).
  bool contains(std::uint16_t file, std::uint32_t record, std::uint32_t length) const;
  std::uint16_t get(std::uint16_t file, std::uint32_t record) const;
  void set(std::uint16_t file, std::uint32_t record, std::uint16_t value);

 private:
  std::array<std::vector<std::uint16_t>, kFileCount> files_;
};

}  // namespace pc::modbus_ref
