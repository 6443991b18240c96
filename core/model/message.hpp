// A message instance: the values of one decoded (or built) message, as a flat pre-order
// tree. Decoding fills it, the generator edits it, the encoder turns it back into bytes.
//
// Every relation-bound field (a length, count, checksum, switch selector) is in one of
// three states: derived (recomputed on encode), pinned (a decoded value that disagreed
// with its relation, kept as is so broken captures re-encode exactly) or overridden (set
// by a mutation on purpose).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/issue.hpp"
#include "core/model/model.hpp"

namespace pc::model {

enum ValueFlag : uint8_t {
  kPinned = 1,      // decoded value disagreed with its relation: kept on encode
  kOverridden = 2,  // set by a mutation: kept on encode
  kExcess = 4,      // bytes the layout did not account for (trailing, or cut short)
  kIndefinite = 8,  // a BER length in the indefinite form (0x80 ... 00 00)
  kRaw = 16,        // wire bytes kept verbatim (a value too wide or malformed to hold)
  kNoEoc = 32,      // an indefinite length whose end-of-contents octets were missing
};

struct Value {
  FieldId field = kNone;  // kNone for excess bytes
  uint32_t parent = kNone;
  uint32_t next = kNone;  // index one past this value's subtree
  uint32_t offset = 0;    // byte offset where it was decoded (in its layer's bytes)
  uint32_t size = 0;      // encoded byte size as decoded
  uint64_t num = 0;       // integer value; for a switch: the chosen case index
  uint32_t data = 0;      // bytes: offset into Message::pool
  uint32_t len = 0;       // bytes: length
  uint8_t form = 0;       // encoded width of a varint or sized integer (0 = minimal)
  uint8_t flags = 0;
};

class Message {
 public:
  explicit Message(const Model& model, Direction dir = Direction::Request)
      : direction(dir), model_(&model) {}

  const Model& model() const { return *model_; }
  Direction direction;
  MessageId type = kNone;  // kNone: did not resolve to a message type
  std::vector<Value> values;
  std::vector<uint8_t> pool;
  std::vector<Issue> issues;

  // -- reading --------------------------------------------------------------------------
  bool resolved() const { return type != kNone; }
  std::string type_name() const;  // "<unresolved>" when not resolved
  // A value by path relative to the root: "pdu.quantity", "values[2]", "header.type".
  // Unnamed levels (switch cases, layer contents) are transparent.
  uint32_t find(std::string_view path) const;
  std::optional<int64_t> get(std::string_view path) const;
  std::span<const uint8_t> bytes(uint32_t v) const;
  std::string path(uint32_t v) const;  // inverse of find
  const FieldDef* field(uint32_t v) const;
  uint32_t end(uint32_t v) const { return values[v].next == kNone ? static_cast<uint32_t>(values.size()) : values[v].next; }
  // Children of v in order (direct ones only).
  std::vector<uint32_t> children(uint32_t v) const;
  // The nearest value named `name` visible from the scope `scope` (earlier siblings,
  // then outward), the rule the expression language uses.
  uint32_t resolve(uint32_t scope, NameId name, uint32_t before = kNone) const;
  uint32_t child_named(uint32_t v, NameId name) const;
  // Count of broken rules with a given strength (Must by default).
  size_t broken(Strength s = Strength::Must) const;

  // -- editing --------------------------------------------------------------------------
  // A consistent edit: sets the value and makes the message follow it (an array counted
  // by this field is resized, lengths and checksums that cover it are derived again).
  bool set(uint32_t v, int64_t num);
  bool set(std::string_view path, int64_t num) { uint32_t v = find(path); return v != kNone && set(v, num); }
  bool set_bytes(uint32_t v, std::span<const uint8_t> data);
  // A deliberate inconsistency: the value is written as given, relations are not applied.
  void override_num(uint32_t v, int64_t num);
  void override_bytes(uint32_t v, std::span<const uint8_t> data);
  // Removes v's subtree (a field omitted).
  void remove(uint32_t v);
  // Inserts the values of `other` (a subtree built for the same model) before `at` as
  // children of `parent`; returns the index of the first inserted value.
  uint32_t insert(uint32_t at, uint32_t parent, const Message& other, uint32_t from);
  uint32_t append_pool(std::span<const uint8_t> data);

 private:
  const Model* model_;
};

// Gives each bit field of container `v` its part of the container's value.
void spread_bit_container(Message& m, uint32_t v);

}  // namespace pc::model
