// The named mutation classes. Every case and finding records the class that made it;
// coverage traceability counts cases per (message type, field, class).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pc::generate {

enum class MutationClass : uint8_t {
  Boundary,     // 0, 1, max-1, max, sign edges (consistent: dependent fields follow)
  OutOfRange,   // just outside a declared valid range or set
  InvalidEnum,  // a value no enum, set or switch case claims
  Length,       // a length field too short, too long, zero, max, off by one
  Count,        // a count field that disagrees with its items
  Truncate,     // the message cut at a field boundary or inside a field
  Trailing,     // bytes appended after the message
  Repeat,       // a field repeated
  Omit,         // a field left out
  Checksum,     // a wrong CRC or check value
  Encoding,     // overlong varint / BER forms, indefinite lengths, huge declared lengths
  Content,      // byte strings and text: empty, long, invalid UTF-8, format strings
  Pair,         // two fields mutated together (SL 3+)
  State,        // sequence attacks: skipped or repeated openers, replays, forbidden states
  Havoc,        // the random phase's stacked mutations
};

inline constexpr int kMutationClasses = 15;

std::string_view class_name(MutationClass c);
std::optional<MutationClass> class_from_name(std::string_view name);
std::string_view class_doc(MutationClass c);

}  // namespace pc::generate
