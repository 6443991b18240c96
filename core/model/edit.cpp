// Consistent edits of a message: Message::set and Message::set_bytes. A value that
// counts or sizes other fields makes them follow; presence conditions are re-evaluated.
#include <algorithm>

#include "core/model/builder.hpp"
#include "core/model/env.hpp"
#include "core/model/message.hpp"

namespace pc::model {
namespace {

constexpr int64_t kMaxItems = 65536;

// The struct value whose fields are v's siblings (a bit field's container's parent).
uint32_t owning_struct(const Message& m, uint32_t v) {
  uint32_t p = m.values[v].parent;
  if (p != kNone && m.values[p].field != kNone && m.model().type_of(m.values[p].field).kind == Kind::Bits) {
    p = m.values[p].parent;
  }
  return p;
}

uint32_t child_with_index(const Message& m, uint32_t s, uint16_t index) {
  for (uint32_t c = s + 1, e = m.end(s); c < e; c = m.end(c)) {
    const Value& cv = m.values[c];
    if (cv.field != kNone && m.model().fields[cv.field].index == index) return c;
  }
  return kNone;
}

void resize_array(Message& m, uint32_t a, int64_t n) {
  n = std::clamp<int64_t>(n, 0, kMaxItems);
  const TypeDef& t = m.model().type_of(m.values[a].field);
  std::vector<uint32_t> items;
  for (uint32_t c : m.children(a)) {
    if (m.values[c].field != kNone) items.push_back(c);
  }
  while (static_cast<int64_t>(items.size()) > n) {
    m.remove(items.back());
    items.pop_back();
  }
  if (static_cast<int64_t>(items.size()) < n) {
    Message item = build_field(m.model(), m.direction, t.item);
    while (static_cast<int64_t>(items.size()) < n) {
      uint32_t at = items.empty() ? a + 1 : m.end(items.back());
      items.push_back(m.insert(at, a, item, 0));
    }
  }
}

void resize_bytes(Message& m, uint32_t b, int64_t n) {
  n = std::clamp<int64_t>(n, 0, 1 << 24);
  auto old = m.bytes(b);
  std::vector<uint8_t> data(old.begin(), old.end());
  data.resize(static_cast<size_t>(n), 0);
  m.values[b].data = m.append_pool(data);
  m.values[b].len = static_cast<uint32_t>(data.size());
}

// Fields of struct `s` after index `from` whose extent or presence depends on earlier
// values: re-evaluated after an edit.
void follow(Message& m, uint32_t s, uint16_t from) {
  const Model& model = m.model();
  const TypeDef& st = model.type_of(m.values[s].field);
  if (st.kind != Kind::Struct) return;
  for (uint16_t i = static_cast<uint16_t>(from + 1); i < st.fields.size(); ++i) {
    const FieldId f = st.fields[i];
    const FieldDef& fd = model.fields[f];
    uint32_t v = child_with_index(m, s, i);
    if (fd.when != kNone && !model.exprs[fd.when].uses_peek) {
      InstanceEnv env(m, s);
      auto w = eval(model.exprs[fd.when], env);
      if (w) {
        if (*w == 0 && v != kNone) {
          m.remove(v);
          continue;
        }
        if (*w != 0 && v == kNone) {
          // insert before the next present field (or at the struct's end)
          uint32_t at = m.end(s);
          for (uint16_t j = static_cast<uint16_t>(i + 1); j < st.fields.size(); ++j) {
            uint32_t nv = child_with_index(m, s, j);
            if (nv != kNone) {
              at = nv;
              break;
            }
          }
          Message sub = build_field(model, m.direction, f);
          v = m.insert(at, s, sub, 0);
        }
      }
    }
    if (v == kNone) continue;
    const TypeDef& t = model.types[fd.type];
    // a count or size that was pinned or overridden on purpose does not drive anything
    auto deliberate = [&](ExprId e) {
      const Expr& x = model.exprs[e];
      if (!x.is_plain_ref()) return false;
      InstanceEnv probe(m, s);
      uint32_t r = probe.lookup(x.refs[0]);
      return r != kNone && (m.values[r].flags & (kPinned | kOverridden));
    };
    if ((t.count_expr != kNone && deliberate(t.count_expr)) || (t.size_expr != kNone && deliberate(t.size_expr))) {
      continue;
    }
    InstanceEnv env(m, s);
    if (t.kind == Kind::Array && t.count_expr != kNone && !model.exprs[t.count_expr].uses_peek) {
      if (auto n = eval(model.exprs[t.count_expr], env)) resize_array(m, v, *n);
    } else if ((t.kind == Kind::Bytes || t.kind == Kind::Text) && t.size_expr != kNone &&
               !model.exprs[t.size_expr].uses_peek) {
      if (auto n = eval(model.exprs[t.size_expr], env)) resize_bytes(m, v, *n);
    }
  }
}

// A value changed: the check values of every codec layer around it are computed again
// (unless a mutation set them on purpose).
void release_layers(Message& m, uint32_t v) {
  for (uint32_t p = m.values[v].parent; p != kNone; p = m.values[p].parent) {
    const FieldDef* f = m.field(p);
    if (f && m.model().types[f->type].kind == Kind::Layer) {
      m.values[p].flags = static_cast<uint8_t>(m.values[p].flags & ~kPinned);
    }
  }
}

// A bit container's value set as a whole: its bit fields take their parts.
void spread_bits(Message& m, uint32_t v) {
  const TypeDef& t = m.model().type_of(m.values[v].field);
  if (t.kind != Kind::Bits) return;
  for (uint32_t c = v + 1; c < m.end(v); c = m.end(c)) {
    for (const BitSlice& s : t.bits) {
      if (s.field != m.values[c].field) continue;
      uint64_t mask = s.width >= 64 ? ~0ULL : (1ULL << s.width) - 1;
      m.values[c].num = (m.values[v].num >> s.shift) & mask;
    }
  }
}

}  // namespace

void spread_bit_container(Message& m, uint32_t v) { spread_bits(m, v); }

bool Message::set(uint32_t v, int64_t num) {
  if (v >= values.size() || values[v].field == kNone) return false;
  Value& val = values[v];
  val.num = static_cast<uint64_t>(num);
  val.form = 0;
  val.flags = static_cast<uint8_t>(val.flags & ~(kPinned | kOverridden | kRaw | kIndefinite | kNoEoc));
  spread_bits(*this, v);
  release_layers(*this, v);
  const FieldDef& fd = model_->fields[val.field];
  uint32_t s = owning_struct(*this, v);
  if (fd.relation != kNone && s != kNone) {
    const Relation& r = model_->relations[fd.relation];
    uint32_t target = child_with_index(*this, s, r.first);
    const TypeDef* tt = target == kNone ? nullptr : &model_->type_of(values[target].field);
    if (r.kind == Relation::Kind::CountOf && tt && tt->kind == Kind::Array) {
      resize_array(*this, target, num - r.offset);
    } else if (r.kind == Relation::Kind::LengthOf && r.first == r.last && tt &&
               (tt->kind == Kind::Bytes || tt->kind == Kind::Text)) {
      resize_bytes(*this, target, (num - r.offset) * static_cast<int64_t>(r.unit));
    } else {
      // nothing to resize: the value sticks instead of being derived again
      values[v].flags |= kOverridden;
    }
  }
  if (s != kNone) {
    uint32_t holder = v;
    while (values[holder].parent != s) holder = values[holder].parent;
    follow(*this, s, model_->fields[values[holder].field].index);
  }
  return true;
}

bool Message::set_bytes(uint32_t v, std::span<const uint8_t> data) {
  if (v >= values.size() || values[v].field == kNone) return false;
  Kind k = model_->type_of(values[v].field).kind;
  if (k != Kind::Bytes && k != Kind::Text) return false;
  std::vector<uint8_t> copy(data.begin(), data.end());
  values[v].data = append_pool(copy);
  values[v].len = static_cast<uint32_t>(copy.size());
  values[v].flags = static_cast<uint8_t>(values[v].flags & ~(kOverridden | kRaw));
  release_layers(*this, v);
  return true;
}

}  // namespace pc::model
