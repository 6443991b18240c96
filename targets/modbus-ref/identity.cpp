#include "identity.hpp"

namespace pc::modbus_ref {

Identity::Identity()
    : objects_{
          {0x00, "ProtoCrawler"},                          // VendorName
          {0x01, "PC-MBREF"},                              // ProductCode
          {0x02, "V0.1"},                                  // MajorMinorRevision
          {0x03, "urn:protocrawler:modbus-ref"},           // VendorUrl
          {0x04, "ProtoCrawler Modbus reference device"},  // ProductName
          {0x05, "modbus-ref"},                            // ModelName
          {0x06, "simulated process"},                     // UserApplicationName
          {0x80, "serial=PCREF-0001"},                     // private objects
          {0x81, "build=asan"},
          {0x82, "site=loopback"},
      } {}

std::uint8_t Identity::last_id(IdCategory category) {
  switch (category) {
    case IdCategory::kBasic:
      return 0x02;
    case IdCategory::kRegular:
      return 0x7F;
    case IdCategory::kExtended:
      return 0xFF;
  }
  return 0x02;
}

bool Identity::next_existing(std::uint8_t from, std::uint8_t last, std::uint8_t& found) const {
  const auto it = objects_.lower_bound(from);
  if (it == objects_.end() || it->first > last) {
    return false;
  }
  found = it->first;
  return true;
}

}  // namespace pc::modbus_ref
