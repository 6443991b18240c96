#include "core/generate/mutation_class.hpp"

#include <array>

namespace pc::generate {
namespace {

struct Entry {
  std::string_view name;
  std::string_view doc;
};

constexpr std::array<Entry, kMutationClasses> kEntries = {{
    {"boundary", "0, 1, max-1, max and sign edges; fields that depend on the value follow it"},
    {"out_of_range", "just outside a declared valid range or set of values"},
    {"invalid_enum", "a value that no enum name, allowed set or switch case claims"},
    {"length", "a length field too short, too long, zero, max or off by one"},
    {"count", "a count field that disagrees with the items it counts"},
    {"truncate", "the message cut at a field boundary or inside a field"},
    {"trailing", "bytes appended after the message"},
    {"repeat", "a field sent twice"},
    {"omit", "a field left out"},
    {"checksum", "a wrong CRC or check value"},
    {"encoding", "overlong variable-length forms, indefinite lengths, huge declared lengths"},
    {"content", "byte strings and text: empty, long, invalid UTF-8, format strings"},
    {"pair", "two fields mutated together"},
    {"state", "messages out of order, openers skipped or repeated, replays, forbidden states"},
    {"havoc", "stacked random mutations guided by new answers"},
}};

}  // namespace

std::string_view class_name(MutationClass c) { return kEntries[static_cast<size_t>(c)].name; }
std::string_view class_doc(MutationClass c) { return kEntries[static_cast<size_t>(c)].doc; }

std::optional<MutationClass> class_from_name(std::string_view name) {
  for (size_t i = 0; i < kEntries.size(); ++i) {
    if (kEntries[i].name == name) return static_cast<MutationClass>(i);
  }
  return std::nullopt;
}

}  // namespace pc::generate
