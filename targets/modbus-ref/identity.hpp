// Device identification objects for Read Device Identification (43 / MEI 14) and the
// server id of Report Server ID (17): MODBUS Application Protocol V1.1b3, sections
// 6.21 and 6.13. Conformity level 0x83: basic, regular and extended objects, stream
// and individual access.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace pc::modbus_ref {

// The three stream-access categories and their last object id.
enum class IdCategory : std::uint8_t { kBasic = 1, kRegular = 2, kExtended = 3 };

class Identity {
 public:
  static constexpr std::uint8_t kConformityLevel = 0x83;

  Identity();

  bool has(std::uint8_t object_id) const { return objects_.contains(object_id); }
  std::string_view value(std::uint8_t object_id) const { return objects_.at(object_id); }
  // Highest object id a category may hold: 0x02, 0x7F, 0xFF.
  static std::uint8_t last_id(IdCategory category);
  // The first existing object id >= `from` and <= `last`, if any.
  bool next_existing(std::uint8_t from, std::uint8_t last, std::uint8_t& found) const;

  // Report Server ID (17) payload parts.
  static constexpr std::string_view kServerId = "PCREF";
  static constexpr std::string_view kAdditionalData = "ProtoCrawler modbus-ref 0.1.0";

 private:
  std::map<std::uint8_t, std::string> objects_;
};

}  // namespace pc::modbus_ref
