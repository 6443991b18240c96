#include "core/generate/variants.hpp"

#include <algorithm>
#include <set>

namespace pc::generate {

using model::Kind;
using model::Message;
using Op = Variant::Op;

ValueRange value_range(const Message& msg, uint32_t v) {
  const model::Model& m = msg.model();
  const model::Value& val = msg.values[v];
  const model::FieldDef& f = m.fields[val.field];
  const model::TypeDef& t = m.types[f.type];
  ValueRange r;
  unsigned bits = 64;
  if (f.parent != model::kNone && m.types[f.parent].kind == Kind::Bits) {
    for (const auto& s : m.types[f.parent].bits) {
      if (s.field == val.field) bits = s.width;
    }
  } else if (t.kind == Kind::Uint || t.kind == Kind::Sint) {
    bits = 8 * (t.size ? t.size : std::max<uint8_t>(val.form, 1));
  } else if (t.kind == Kind::Varint) {
    switch (t.varint) {
      case model::VarintStyle::Base128: bits = 7 * t.max_bytes; break;
      case model::VarintStyle::BerLength: bits = 32; break;
      case model::VarintStyle::BerTag: bits = 8; break;
      case model::VarintStyle::Escaped: bits = 16; break;
    }
  }
  r.bits = bits;
  r.is_signed = t.kind == Kind::Sint;
  if (r.is_signed) {
    r.lo = bits >= 64 ? INT64_MIN : -(int64_t{1} << (bits - 1));
    r.hi = bits >= 64 ? static_cast<uint64_t>(INT64_MAX) : (uint64_t{1} << (bits - 1)) - 1;
  } else {
    r.lo = 0;
    r.hi = bits >= 64 ? ~0ULL : (uint64_t{1} << bits) - 1;
  }
  return r;
}

namespace {

using model::NameId;

bool in_range(const ValueRange& r, int64_t x) {
  if (r.is_signed) return x >= r.lo && x <= static_cast<int64_t>(r.hi);
  return x >= 0 && static_cast<uint64_t>(x) <= r.hi;
}

void add_set(std::vector<Variant>& out, std::set<int64_t>& seen, int64_t x, Op op = Op::Set) {
  if (!seen.insert(x).second) return;
  Variant v;
  v.op = op;
  v.num = x;
  out.push_back(v);
}

// Is v the discriminant of a switch (the first field of a peeked case, or a selector)?
// Fills `taken` with the keys the switch's cases claim.
bool discriminant(const Message& msg, uint32_t v, std::vector<std::pair<uint64_t, uint64_t>>& taken) {
  const model::Model& m = msg.model();
  // the first field of a struct that is a peeked switch's case
  uint32_t p = msg.values[v].parent;
  if (p != model::kNone && msg.values[p].parent != model::kNone) {
    uint32_t sw = msg.values[p].parent;
    const model::FieldDef* sf = msg.field(sw);
    if (sf && m.types[sf->type].kind == Kind::Switch && m.types[sf->type].peek != model::kNone && p + 1 == v) {
      for (const auto& c : m.types[sf->type].cases) taken.emplace_back(c.lo, c.hi);
      return true;
    }
  }
  // a field named by a later switch's `on:`
  NameId name = m.fields[msg.values[v].field].name;
  for (uint32_t s = v + 1; s < msg.values.size(); ++s) {
    const model::FieldDef* sf = msg.field(s);
    if (!sf) continue;
    const model::TypeDef& st = m.types[sf->type];
    if (st.kind != Kind::Switch || st.selector == model::kNone) continue;
    const model::Expr& e = m.exprs[st.selector];
    if (e.is_plain_ref() && e.refs[0].segments.back() == name) {
      for (const auto& c : st.cases) taken.emplace_back(c.lo, c.hi);
      return true;
    }
  }
  return false;
}

bool claimed(const std::vector<std::pair<uint64_t, uint64_t>>& taken, int64_t x) {
  return std::any_of(taken.begin(), taken.end(), [&](const auto& r) {
    return x >= 0 && static_cast<uint64_t>(x) >= r.first && static_cast<uint64_t>(x) <= r.second;
  });
}

}  // namespace

std::vector<ValueVariants> variants_for_message(const Message& def, const std::vector<uint8_t>& bytes,
                                                const Profile& profile) {
  const model::Model& m = def.model();
  std::vector<ValueVariants> out;
  auto emit = [&](uint32_t v, const std::string& path, MutationClass c, std::vector<Variant> vars) {
    if (!profile.has(c) || vars.empty() || !profile.focused_on(path)) return;
    out.push_back({v, path, c, std::move(vars)});
  };
  // the message as a whole: bytes after it
  if (!def.values.empty()) {
    std::vector<Variant> trail;
    for (auto [n, fill] : {std::pair<int64_t, uint8_t>{1, 0x00}, {16, 0xFF}, {256, 0x41}, {4, 0x00}}) {
      Variant t;
      t.op = Op::Trailing;
      t.num = n;
      t.fill = fill;
      trail.push_back(t);
    }
    emit(0, "", MutationClass::Trailing, trail);
  }
  std::set<uint32_t> seen_arrays;
  for (uint32_t v = 0; v < def.values.size(); ++v) {
    const model::Value& val = def.values[v];
    const model::FieldDef* f = def.field(v);
    if (!f) continue;
    const model::TypeDef& t = m.types[f->type];
    bool item = false;
    if (f->name == model::kNone) {
      // array items: the first one stands for all
      uint32_t p = val.parent;
      if (p == model::kNone || m.type_of(def.values[p].field).kind != Kind::Array) continue;
      if (!seen_arrays.insert(p).second) continue;
      item = true;
      if (t.kind != Kind::Uint && t.kind != Kind::Sint) continue;
    }
    const std::string path = def.path(v);
    const bool number = t.kind == Kind::Uint || t.kind == Kind::Sint || t.kind == Kind::Varint ||
                        (f->parent != model::kNone && m.types[f->parent].kind == Kind::Bits);
    const model::Relation* rel = f->relation != model::kNone ? &m.relations[f->relation] : nullptr;
    if (number && !(val.flags & model::kRaw)) {
      ValueRange r = value_range(def, v);
      const int64_t cur = static_cast<int64_t>(val.num);
      std::set<int64_t> seen = {cur};
      if (!rel || rel->kind == model::Relation::Kind::Selector) {
        // boundaries
        std::vector<Variant> b;
        add_set(b, seen, 0);
        add_set(b, seen, static_cast<int64_t>(r.hi));
        add_set(b, seen, 1);
        if (r.hi > 1) add_set(b, seen, static_cast<int64_t>(r.hi - 1));
        if (r.is_signed) {
          add_set(b, seen, r.lo);
          add_set(b, seen, -1);
          add_set(b, seen, r.lo + 1);
        } else if (r.bits > 1 && r.bits < 64) {
          add_set(b, seen, static_cast<int64_t>(uint64_t{1} << (r.bits - 1)));        // the sign edge
          add_set(b, seen, static_cast<int64_t>((uint64_t{1} << (r.bits - 1)) - 1));
        }
        emit(v, path, MutationClass::Boundary, b);
        // just outside declared ranges and sets
        std::vector<Variant> o;
        std::set<int64_t> seen_o = {cur};
        for (model::RuleId rid : f->rules) {
          const model::Rule& rule = m.rules[rid];
          if (rule.kind == model::Rule::Kind::Range) {
            if (in_range(r, rule.hi + 1)) add_set(o, seen_o, rule.hi + 1);
            if (in_range(r, rule.lo - 1)) add_set(o, seen_o, rule.lo - 1);
            if (in_range(r, rule.hi + 2)) add_set(o, seen_o, rule.hi + 2);
          } else if (rule.kind == model::Rule::Kind::OneOf) {
            for (int64_t a : rule.set) {
              for (int64_t d : {int64_t{1}, int64_t{-1}}) {
                int64_t x = a + d;
                if (in_range(r, x) && std::find(rule.set.begin(), rule.set.end(), x) == rule.set.end()) {
                  add_set(o, seen_o, x);
                }
              }
            }
          }
        }
        emit(v, path, MutationClass::OutOfRange, o);
        // values nothing claims: enums, allowed sets, switch cases
        std::vector<std::pair<uint64_t, uint64_t>> taken;
        bool is_disc = discriminant(def, v, taken);
        for (const auto& e : f->enums) taken.emplace_back(e.value, e.value);
        for (model::RuleId rid : f->rules) {
          if (m.rules[rid].kind == model::Rule::Kind::OneOf) {
            for (int64_t a : m.rules[rid].set) taken.emplace_back(a, a);
          }
        }
        if (is_disc || !f->enums.empty()) {
          std::vector<Variant> inv;
          std::set<int64_t> seen_i = {cur};
          int found = 0;
          for (uint64_t x = 0; x <= r.hi && x < 4096 && found < 3; ++x) {
            if (!claimed(taken, static_cast<int64_t>(x))) {
              add_set(inv, seen_i, static_cast<int64_t>(x));
              ++found;
            }
          }
          for (uint64_t k = 0, x = r.hi; k < 4096 && found < 6; ++k, --x) {
            if (!claimed(taken, static_cast<int64_t>(x))) {
              add_set(inv, seen_i, static_cast<int64_t>(x));
              ++found;
            }
            if (x == 0) break;
          }
          emit(v, path, MutationClass::InvalidEnum, inv);
        }
      } else {
        // relation-bound: break the relation on purpose
        std::vector<Variant> lv;
        std::set<int64_t> seen_l = {cur};
        MutationClass c = rel->kind == model::Relation::Kind::LengthOf  ? MutationClass::Length
                          : rel->kind == model::Relation::Kind::CountOf ? MutationClass::Count
                          : rel->kind == model::Relation::Kind::Checksum ? MutationClass::Checksum
                                                                         : MutationClass::Length;
        if (c == MutationClass::Checksum) {
          add_set(lv, seen_l, cur ^ 1, Op::Override);
          add_set(lv, seen_l, 0, Op::Override);
          add_set(lv, seen_l, static_cast<int64_t>(r.hi), Op::Override);
        } else {
          // just past the field's own valid range first: a count the device may trust
          for (model::RuleId rid : f->rules) {
            const model::Rule& rule = m.rules[rid];
            if (rule.kind != model::Rule::Kind::Range) continue;
            if (in_range(r, rule.hi + 1)) add_set(lv, seen_l, rule.hi + 1, Op::Override);
          }
          if (cur > 0) add_set(lv, seen_l, cur - 1, Op::Override);
          if (static_cast<uint64_t>(cur) < r.hi) add_set(lv, seen_l, cur + 1, Op::Override);
          add_set(lv, seen_l, 0, Op::Override);
          add_set(lv, seen_l, static_cast<int64_t>(r.hi), Op::Override);
          if (static_cast<uint64_t>(2 * cur + 16) < r.hi) add_set(lv, seen_l, 2 * cur + 16, Op::Override);
          if (cur > 1) add_set(lv, seen_l, cur / 2, Op::Override);
        }
        emit(v, path, c, lv);
      }
      // encodings of variable-length numbers
      if (t.kind == Kind::Varint) {
        std::vector<Variant> enc;
        Variant overlong;
        overlong.op = Op::Form;
        overlong.num = t.varint == model::VarintStyle::Escaped ? 3 : (t.varint == model::VarintStyle::BerLength ? 5 : t.max_bytes);
        enc.push_back(overlong);
        if (t.varint == model::VarintStyle::BerLength) {
          Variant ind;
          ind.op = Op::Indefinite;
          enc.push_back(ind);
        }
        Variant huge;
        huge.op = Op::Override;
        huge.num = t.varint == model::VarintStyle::Base128 ? 268435455 : t.varint == model::VarintStyle::Escaped ? 65535 : 0x7FFFFFFF;
        enc.push_back(huge);
        emit(v, path, MutationClass::Encoding, enc);
      }
    }
    // codec check values
    if (t.kind == Kind::Layer) {
      Variant flip, zero;
      flip.op = zero.op = Op::BadCheck;
      zero.num = 1;
      emit(v, path, MutationClass::Checksum, {flip, zero});
    }
    // byte strings and text
    if (t.kind == Kind::Bytes || t.kind == Kind::Text) {
      std::vector<Variant> c;
      auto with = [&](std::vector<uint8_t> b) {
        Variant x;
        x.op = Op::SetBytes;
        x.bytes = std::move(b);
        c.push_back(std::move(x));
      };
      const size_t room = m.framing.max_size > bytes.size() ? m.framing.max_size - bytes.size() : 0;
      with({});
      if (t.kind == Kind::Text) {
        with({0xC3, 0x28});                       // invalid UTF-8
        with({'%', 's', '%', 's', '%', 'n'});     // format string
        with({'a', 0x00, 'b'});                   // embedded NUL
      }
      for (size_t n : {size_t{255}, size_t{256}, size_t{1024}, size_t{65535}}) {
        if (n <= room + val.len) with(std::vector<uint8_t>(n, 'A'));
      }
      emit(v, path, MutationClass::Content, c);
    }
    // structure: omit, repeat, truncate (not for the root or the discriminant)
    if (val.parent != model::kNone && !item) {
      std::vector<std::pair<uint64_t, uint64_t>> taken;
      bool is_disc = number && discriminant(def, v, taken);
      if (!is_disc) {
        Variant omit;
        omit.op = Op::Omit;
        emit(v, path, MutationClass::Omit, {omit});
        Variant rep;
        rep.op = Op::Repeat;
        emit(v, path, MutationClass::Repeat, {rep});
      }
      if (f->name != model::kNone) {
        std::vector<Variant> cut;
        Variant at;
        at.op = Op::Truncate;
        at.num = 0;
        cut.push_back(at);
        if (val.size > 1) {
          Variant mid = at;
          mid.num = 1;
          cut.push_back(mid);
        }
        emit(v, path, MutationClass::Truncate, cut);
      }
    }
  }
  return out;
}

}  // namespace pc::generate
