// The systematic phase's catalogue: for every message type the model sends, every field,
// and every mutation class the profile asks for that applies to the field's type, the
// variants to send. Counted (coverage traceability) and indexed: case i of the phase is
// a pure function of the catalogue.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/generate/profile.hpp"
#include "core/generate/variant.hpp"

namespace pc::generate {

// A byte patch that gives the same bytes as the slow path (checked when the catalogue is
// built), so most cases cost a copy and a store.
struct FastPatch {
  int32_t offset = -1;  // -1: no fast path
  uint8_t width = 0;
  bool big_endian = true;
  uint64_t mask = 0;    // bits of the container the value occupies (bit fields)
  uint8_t shift = 0;
  uint64_t value = 0;
  int32_t cut = -1;     // Truncate: keep this many bytes
  uint32_t append = 0;  // Trailing: append this many `fill` bytes
  uint8_t fill = 0;
};

struct Slot {
  model::MessageId message = model::kNone;
  uint32_t value = 0;       // index in the message's default instance
  std::string path;         // "pdu.quantity"; "" for the message as a whole
  MutationClass mutation = MutationClass::Boundary;
  std::vector<Variant> variants;
  std::vector<FastPatch> fast;  // one per variant
  uint64_t first_case = 0;  // index of its first case in the phase
};

class Catalog {
 public:
  // `defaults` replace the built default instance of a message type (seed captures,
  // discovery results). Only request-direction messages are attacked.
  Catalog(const model::Model& model, const Profile& profile,
          const std::map<model::MessageId, model::Message>& defaults = {});

  const model::Model& model() const { return *model_; }
  uint64_t size() const { return size_; }
  const std::vector<Slot>& slots() const { return slots_; }
  // The slot and variant of systematic case `index` (< size()).
  const Slot& locate(uint64_t index, uint32_t& variant) const;
  const model::Message& default_message(model::MessageId id) const;
  const std::vector<uint8_t>& default_bytes(model::MessageId id) const;
  const std::vector<model::MessageId>& messages() const { return attacked_; }
  // Slots the campaign adds from what it learned of the device (the edges of its data
  // map); appended after the model's own, so earlier case indices stay the same.
  void add_extra(model::MessageId message, const std::string& path, MutationClass mutation,
                 std::vector<Variant> variants, uint32_t cap);

 private:
  void add_message(model::MessageId id, const Profile& profile);
  void add_slot(Slot slot, uint32_t cap);
  const model::Model* model_;
  std::map<model::MessageId, model::Message> defaults_;
  std::map<model::MessageId, std::vector<uint8_t>> default_bytes_;
  std::vector<model::MessageId> attacked_;
  std::vector<Slot> slots_;
  uint64_t size_ = 0;
};

}  // namespace pc::generate
