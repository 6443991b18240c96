#include "core/generate/catalog.hpp"

#include <algorithm>
#include <set>

#include "core/generate/variants.hpp"
#include "core/model/builder.hpp"
#include "core/model/encoder.hpp"

namespace pc::generate {

using model::Kind;
using model::Message;
using model::MessageId;

Catalog::Catalog(const model::Model& model, const Profile& profile,
                 const std::map<MessageId, Message>& defaults)
    : model_(&model) {
  for (MessageId id = 0; id < model.messages.size(); ++id) {
    if (model.messages[id].direction != model::Direction::Request) continue;
    auto it = defaults.find(id);
    Message m = it != defaults.end() ? it->second : model::build(model, id);
    std::vector<uint8_t> bytes = model::encode(m);
    defaults_.emplace(id, std::move(m));
    default_bytes_.emplace(id, std::move(bytes));
    attacked_.push_back(id);
    add_message(id, profile);
  }
}

const Message& Catalog::default_message(MessageId id) const { return defaults_.at(id); }
const std::vector<uint8_t>& Catalog::default_bytes(MessageId id) const { return default_bytes_.at(id); }

const Slot& Catalog::locate(uint64_t index, uint32_t& variant) const {
  auto it = std::upper_bound(slots_.begin(), slots_.end(), index,
                             [](uint64_t i, const Slot& s) { return i < s.first_case; });
  const Slot& s = *std::prev(it);
  variant = static_cast<uint32_t>(index - s.first_case);
  return s;
}

namespace {

// The fast patch for one variant, if writing it into the default bytes gives exactly what
// the slow path gives.
FastPatch fast_patch(const Message& def, const std::vector<uint8_t>& def_bytes, uint32_t v, const Variant& var,
                     const std::vector<uint8_t>& slow, const std::vector<uint32_t>& offsets) {
  FastPatch p;
  using Op = Variant::Op;
  if (var.op == Op::Truncate) {
    if (slow.size() <= def_bytes.size() && std::equal(slow.begin(), slow.end(), def_bytes.begin())) {
      p.cut = static_cast<int32_t>(slow.size());
    }
    return p;
  }
  if (var.op == Op::Trailing) {
    if (slow.size() == def_bytes.size() + static_cast<size_t>(var.num) &&
        std::equal(def_bytes.begin(), def_bytes.end(), slow.begin())) {
      p.append = static_cast<uint32_t>(var.num);
      p.fill = var.fill;
    }
    return p;
  }
  if (var.op != Op::Set && var.op != Op::Override) return p;
  if (slow.size() != def_bytes.size()) return p;
  const model::Model& m = def.model();
  const model::Value& val = def.values[v];
  const model::FieldDef& f = m.fields[val.field];
  const model::TypeDef& t = m.types[f.type];
  FastPatch cand;
  if ((t.kind == Kind::Uint || t.kind == Kind::Sint) && t.size > 0) {
    cand.offset = static_cast<int32_t>(offsets[v]);
    cand.width = t.size;
    cand.big_endian = t.endian == model::Endian::Big;
    cand.mask = t.size >= 8 ? ~0ULL : (1ULL << (8 * t.size)) - 1;
    cand.shift = 0;
  } else if (f.parent != model::kNone && m.types[f.parent].kind == Kind::Bits) {
    const model::TypeDef& bt = m.types[f.parent];
    for (const auto& s : bt.bits) {
      if (s.field != val.field) continue;
      cand.offset = static_cast<int32_t>(offsets[v]);
      cand.width = bt.size;
      cand.big_endian = bt.endian == model::Endian::Big;
      cand.mask = (s.width >= 64 ? ~0ULL : (1ULL << s.width) - 1) << s.shift;
      cand.shift = s.shift;
    }
    if (cand.offset < 0) return p;
  } else {
    return p;
  }
  if (cand.offset + cand.width > static_cast<int32_t>(def_bytes.size())) return p;
  cand.value = static_cast<uint64_t>(var.num);
  // check: the patched default equals the slow path byte for byte
  std::vector<uint8_t> patched = def_bytes;
  uint64_t container = 0;
  for (uint8_t i = 0; i < cand.width; ++i) {
    uint8_t b = patched[static_cast<size_t>(cand.offset) + i];
    container |= static_cast<uint64_t>(b) << (cand.big_endian ? 8 * (cand.width - 1 - i) : 8 * i);
  }
  container = (container & ~cand.mask) | ((cand.value << cand.shift) & cand.mask);
  for (uint8_t i = 0; i < cand.width; ++i) {
    patched[static_cast<size_t>(cand.offset) + i] =
        static_cast<uint8_t>(container >> (cand.big_endian ? 8 * (cand.width - 1 - i) : 8 * i));
  }
  return patched == slow ? cand : p;
}

}  // namespace

void Catalog::add_slot(Slot slot, uint32_t cap) {
  if (slot.variants.size() > cap) slot.variants.resize(cap);
  if (slot.variants.empty()) return;
  const Message& def = defaults_.at(slot.message);
  const std::vector<uint8_t>& def_bytes = default_bytes_.at(slot.message);
  Message encoded = def;
  (void)model::encode(encoded);
  std::vector<uint32_t> offsets = encoded_offsets(encoded);
  for (const Variant& var : slot.variants) {
    Message copy = def;
    std::vector<uint8_t> slow = apply_variant(copy, slot.value, var);
    slot.fast.push_back(fast_patch(encoded, def_bytes, slot.value, var, slow, offsets));
  }
  slot.first_case = size_;
  size_ += slot.variants.size();
  slots_.push_back(std::move(slot));
}

void Catalog::add_extra(MessageId message, const std::string& path, MutationClass mutation,
                        std::vector<Variant> variants, uint32_t cap) {
  if (!defaults_.count(message)) return;
  uint32_t v = path.empty() ? 0 : defaults_.at(message).find(path);
  if (v == model::kNone) return;
  Slot s;
  s.message = message;
  s.value = v;
  s.path = path;
  s.mutation = mutation;
  s.variants = std::move(variants);
  add_slot(std::move(s), cap);
}

void Catalog::add_message(MessageId id, const Profile& profile) {
  const Message& def = defaults_.at(id);
  const std::vector<uint8_t>& bytes = default_bytes_.at(id);
  std::vector<ValueVariants> found = variants_for_message(def, bytes, profile);
  for (auto& vv : found) {
    Slot s;
    s.message = id;
    s.value = vv.value;
    s.path = vv.path;
    s.mutation = vv.mutation;
    s.variants = std::move(vv.variants);
    add_slot(std::move(s), profile.per_slot);
  }
}

}  // namespace pc::generate
