#include "core/model/builder.hpp"

#include <algorithm>

#include "core/model/env.hpp"

namespace pc::model {
namespace {

constexpr int64_t kMaxDefaultItems = 4096;

class Builder {
 public:
  Builder(const Model& m, Message& msg, const MessageDef* target) : m_(m), msg_(msg), target_(target) {}

  uint32_t field(FieldId f, uint32_t parent) {
    const FieldDef& fd = m_.fields[f];
    const TypeDef& t = m_.types[fd.type];
    if (t.is_message) {
      MessageId id = m_.message_of[static_cast<int>(msg_.direction)][fd.type];
      if (id != kNone) msg_.type = id;
    }
    uint32_t v = static_cast<uint32_t>(msg_.values.size());
    Value val;
    val.field = f;
    val.parent = parent;
    msg_.values.push_back(val);
    ++depth_;
    if (depth_ <= m_.max_depth) fill(fd, t, v);
    --depth_;
    msg_.values[v].next = static_cast<uint32_t>(msg_.values.size());
    return v;
  }

 private:
  std::optional<int64_t> eval_at(ExprId e, uint32_t scope) {
    if (e == kNone || m_.exprs[e].uses_peek) return std::nullopt;
    InstanceEnv env(msg_, scope);
    return eval(m_.exprs[e], env);
  }

  void fill(const FieldDef& fd, const TypeDef& t, uint32_t v) {
    switch (t.kind) {
      case Kind::Uint:
      case Kind::Sint:
      case Kind::Varint:
        msg_.values[v].num = static_cast<uint64_t>(fd.default_num);
        return;
      case Kind::Bits:
        msg_.values[v].num = static_cast<uint64_t>(fd.default_num);
        for (const BitSlice& s : t.bits) field(s.field, v);
        return;
      case Kind::Bytes:
      case Kind::Text: {
        std::vector<uint8_t> b;
        if (fd.has_default) {
          b.assign(fd.default_bytes.begin(), fd.default_bytes.end());
        } else if (t.fixed_size != kNone) {
          b.assign(t.fixed_size, 0);
        } else if (auto n = eval_at(t.size_expr, msg_.values[v].parent); n && *n > 0) {
          b.assign(static_cast<size_t>(std::min<int64_t>(*n, 65536)), 0);
        }
        msg_.values[v].data = msg_.append_pool(b);
        msg_.values[v].len = static_cast<uint32_t>(b.size());
        return;
      }
      case Kind::Struct:
        for (FieldId c : t.fields) {
          const FieldDef& cd = m_.fields[c];
          bool present = cd.default_present;
          if (cd.when != kNone && !m_.exprs[cd.when].uses_peek) {
            if (auto w = eval_at(cd.when, v)) present = *w != 0;
          }
          if (present) field(c, v);
        }
        return;
      case Kind::Array: {
        int64_t n = t.default_count;
        if (auto c = eval_at(t.count_expr, msg_.values[v].parent); c && *c >= 0) n = *c;
        n = std::min(n, kMaxDefaultItems);
        for (int64_t i = 0; i < n; ++i) field(t.item, v);
        return;
      }
      case Kind::Switch:
        choose(t, v);
        return;
      case Kind::Layer:
        field(t.content, v);
        return;
    }
  }

  void choose(const TypeDef& t, uint32_t v) {
    const TypeId self = m_.fields[msg_.values[v].field].type;
    uint32_t index = kNone;
    if (target_) {
      for (const auto& [sw, c] : target_->route) {
        if (sw == self) index = c;
      }
    }
    if (index == kNone && t.has_prefer) {
      for (uint32_t i = 0; i < t.cases.size(); ++i) {
        if (t.prefer >= t.cases[i].lo && t.prefer <= t.cases[i].hi) index = i;
      }
      if (index == kNone && t.default_case != kNone) index = static_cast<uint32_t>(t.cases.size());
    }
    FieldId chosen;
    uint64_t key = 0;
    if (index != kNone && index < t.cases.size()) {
      chosen = t.cases[index].field;
      key = t.has_prefer && t.prefer >= t.cases[index].lo && t.prefer <= t.cases[index].hi ? t.prefer : t.cases[index].lo;
    } else if (index == t.cases.size() && t.default_case != kNone) {
      chosen = t.default_case;
    } else if (t.default_case != kNone && t.cases.empty()) {
      chosen = t.default_case;
      index = 0;
    } else if (!t.cases.empty()) {
      index = 0;
      chosen = t.cases[0].field;
      key = t.cases[0].lo;
    } else {
      return;
    }
    msg_.values[v].num = index;
    bool keyed = index < t.cases.size();
    if (!keyed) {
      // the default layout: a discriminator that no case claims
      key = 0;
      for (const SwitchCase& sc : t.cases) {
        if (key >= sc.lo && key <= sc.hi) key = sc.hi + 1;
      }
      keyed = true;
    }
    // a selector that is a plain field reference takes the case key
    if (keyed && t.selector != kNone && m_.exprs[t.selector].is_plain_ref()) {
      InstanceEnv env(msg_, msg_.values[v].parent);
      uint32_t sel = env.lookup(m_.exprs[t.selector].refs[0]);
      if (sel != kNone) {
        msg_.values[sel].num = key;
        spread_bit_container(msg_, sel);
      }
    }
    uint32_t c = field(chosen, v);
    // a peeked discriminator lives in the case itself: its first field takes the key
    if (keyed && t.peek != kNone) {
      const FieldDef& cd = m_.fields[chosen];
      const TypeDef& ct = m_.types[cd.type];
      if (ct.kind == Kind::Struct && !ct.fields.empty()) {
        const FieldDef& first = m_.fields[ct.fields[0]];
        if (!first.has_default && c + 1 < msg_.values.size()) msg_.values[c + 1].num = key;
      }
    }
  }

  const Model& m_;
  Message& msg_;
  const MessageDef* target_;
  uint32_t depth_ = 0;
};

}  // namespace

Message build(const Model& model, MessageId message) {
  const MessageDef& def = model.messages[message];
  Message msg(model, def.direction);
  FieldId root = model.root[static_cast<int>(def.direction)];
  if (root == kNone) return msg;
  Builder(model, msg, &def).field(root, kNone);
  msg.type = message;
  return msg;
}

Message build_field(const Model& model, Direction dir, FieldId field) {
  Message msg(model, dir);
  Builder(model, msg, nullptr).field(field, kNone);
  return msg;
}

}  // namespace pc::model
