#include "core/generate/variant.hpp"

#include <fmt/format.h>

#include "core/model/encoder.hpp"

namespace pc::generate {

using model::Kind;
using model::Message;

std::string Variant::text() const {
  switch (op) {
    case Op::Set: return fmt::format("set({})", num);
    case Op::Override: return fmt::format("override({})", num);
    case Op::SetBytes: return fmt::format("bytes({})", bytes.size());
    case Op::Form: return fmt::format("form({})", num);
    case Op::Indefinite: return "indefinite";
    case Op::Omit: return "omit";
    case Op::Repeat: return "repeat";
    case Op::Truncate: return fmt::format("truncate(+{})", num);
    case Op::Trailing: return fmt::format("trailing({}x{:02x})", num, fill);
    case Op::BadCheck: return num == 0 ? "badcheck(flip)" : "badcheck(zero)";
    case Op::SetMany: {
      std::string t = "set(";
      for (size_t i = 0; i < sets.size(); ++i) t += fmt::format("{}{}={}", i ? "," : "", sets[i].first, sets[i].second);
      return t + ")";
    }
  }
  return "?";
}

std::vector<uint32_t> encoded_offsets(const Message& msg) {
  std::vector<uint32_t> off(msg.values.size(), 0);
  uint32_t pos = 0;
  // pre-order walk: a value starts where its previous sibling ended, or at its parent's start
  std::vector<uint32_t> cursor(msg.values.size(), 0);
  for (uint32_t v = 0; v < msg.values.size(); ++v) {
    const model::Value& val = msg.values[v];
    uint32_t p = val.parent;
    if (p == model::kNone) {
      off[v] = pos;
      pos += val.size;
      cursor[v] = off[v];
      continue;
    }
    const model::FieldDef* pf = msg.field(p);
    Kind pk = pf ? msg.model().types[pf->type].kind : Kind::Struct;
    if (pk == Kind::Layer || pk == Kind::Bits) {
      off[v] = off[p];  // inside a codec or a bit container: the container's offset
    } else {
      off[v] = cursor[p];
      cursor[p] += val.size;
    }
    cursor[v] = off[v];
  }
  return off;
}

std::vector<uint8_t> apply_variant(Message& msg, uint32_t v, const Variant& var) {
  using Op = Variant::Op;
  switch (var.op) {
    case Op::Set:
      msg.set(v, var.num);
      break;
    case Op::Override:
      msg.override_num(v, var.num);
      break;
    case Op::SetBytes:
      msg.set_bytes(v, var.bytes);
      break;
    case Op::Form:
      msg.values[v].form = static_cast<uint8_t>(var.num);
      msg.values[v].flags |= model::kOverridden;
      break;
    case Op::Indefinite:
      msg.values[v].flags |= model::kIndefinite | model::kOverridden;
      break;
    case Op::Omit:
      msg.remove(v);
      break;
    case Op::Repeat: {
      Message copy = msg;
      msg.insert(msg.end(v), msg.values[v].parent, copy, v);
      break;
    }
    case Op::BadCheck: {
      auto aux = msg.bytes(v);
      std::vector<uint8_t> bad(aux.begin(), aux.end());
      for (auto& b : bad) b = var.num == 0 ? static_cast<uint8_t>(b ^ 0xFF) : 0;
      msg.override_bytes(v, bad);
      break;
    }
    case Op::SetMany:
      for (const auto& [path, value] : var.sets) {
        uint32_t x = msg.find(path);
        if (x != model::kNone) msg.set(x, value);
      }
      break;
    case Op::Truncate:
    case Op::Trailing:
      break;
  }
  std::vector<uint8_t> out = model::encode(msg);
  if (var.op == Op::Truncate) {
    auto off = encoded_offsets(msg);
    size_t cut = std::min<size_t>(out.size(), off[v] + static_cast<size_t>(var.num));
    out.resize(cut);
  } else if (var.op == Op::Trailing) {
    out.insert(out.end(), static_cast<size_t>(var.num), var.fill);
  }
  return out;
}

}  // namespace pc::generate
