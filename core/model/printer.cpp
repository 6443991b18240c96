#include "core/model/printer.hpp"

#include <fmt/format.h>

#include <functional>
#include <set>

#include "core/model/rules.hpp"

namespace pc::model {
namespace {

std::string hex_text(std::span<const uint8_t> b, size_t max = 64) {
  std::string s;
  for (size_t i = 0; i < b.size() && i < max; ++i) s += fmt::format("{}{:02x}", i ? " " : "", b[i]);
  if (b.size() > max) s += fmt::format(" ... ({} bytes)", b.size());
  return s;
}

std::string oid_text(std::span<const uint8_t> b) {
  if (b.empty()) return "";
  std::string s = fmt::format("{}.{}", b[0] / 40 > 2 ? 2 : b[0] / 40, b[0] / 40 > 2 ? b[0] - 80 : b[0] % 40);
  uint64_t arc = 0;
  for (size_t i = 1; i < b.size(); ++i) {
    arc = (arc << 7) | (b[i] & 0x7F);
    if (!(b[i] & 0x80)) {
      s += fmt::format(".{}", arc);
      arc = 0;
    }
  }
  return s;
}

unsigned depth_of(const Message& m, uint32_t v) {
  unsigned d = 0;
  for (uint32_t p = m.values[v].parent; p != kNone; p = m.values[p].parent) {
    if (m.field(p) && m.field(p)->name != kNone) ++d;
  }
  return d;
}

}  // namespace

std::string format_value(const Message& msg, uint32_t v) {
  const Value& val = msg.values[v];
  if (val.field == kNone || (val.flags & kRaw)) return "[" + hex_text(msg.bytes(v)) + "]";
  const Model& m = msg.model();
  const FieldDef& f = m.fields[val.field];
  const TypeDef& t = m.types[f.type];
  switch (t.kind) {
    case Kind::Uint:
    case Kind::Sint:
    case Kind::Varint:
    case Kind::Bits: {
      int64_t x = static_cast<int64_t>(val.num);
      std::string s = t.kind == Kind::Sint ? fmt::format("{}", x) : fmt::format("{} (0x{:x})", val.num, val.num);
      if (val.flags & kIndefinite) s = "indefinite";
      for (const EnumName& e : f.enums) {
        if (e.value == x) s += " " + m.str(e.name);
      }
      return s;
    }
    case Kind::Bytes: {
      auto b = msg.bytes(v);
      if (t.display == Display::Oid) return oid_text(b);
      if (t.display == Display::Text) return "\"" + std::string(b.begin(), b.end()) + "\"";
      return "[" + hex_text(b) + "]";
    }
    case Kind::Text: {
      auto b = msg.bytes(v);
      std::string s;
      for (uint8_t c : b) s += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '.';
      return "\"" + s + "\"";
    }
    case Kind::Array:
      return fmt::format("{} items", msg.children(v).size());
    case Kind::Switch:
      return "";
    case Kind::Struct:
    case Kind::Layer:
      return "";
  }
  return "";
}

std::string format_tree(const Message& msg) {
  std::string out;
  const Model& m = msg.model();
  for (uint32_t v = 0; v < msg.values.size(); ++v) {
    const Value& val = msg.values[v];
    const FieldDef* f = msg.field(v);
    bool named = val.field == kNone || (f && f->name != kNone);
    bool item = !named && val.parent != kNone && msg.field(val.parent) &&
                m.type_of(msg.values[val.parent].field).kind == Kind::Array;
    if (!named && !item) continue;
    std::string label = val.field == kNone ? "<excess>" : msg.path(v);
    std::string flags;
    if (val.flags & kPinned) flags += " pinned";
    if (val.flags & kOverridden) flags += " overridden";
    if (val.flags & kRaw) flags += " raw";
    std::string text = format_value(msg, v);
    out += fmt::format("{:{}}{}{}{} @{}+{}{}\n", "", 2 * depth_of(msg, v), label, text.empty() ? "" : " = ", text,
                       val.offset, val.size, flags);
  }
  for (const Issue& i : msg.issues) out += "! " + format_issue(msg, i) + "\n";
  return out;
}

std::string format_issue(const Message& msg, const Issue& issue) {
  const Model& m = msg.model();
  const Rule& r = m.rules[issue.rule];
  std::string where = issue.value != kNone && issue.value < msg.values.size() ? msg.path(issue.value) : "message";
  std::string what;
  switch (r.kind) {
    case Rule::Kind::Range:
      what = fmt::format("{} not in {}..{}", issue.actual, r.lo, r.hi);
      break;
    case Rule::Kind::OneOf:
    case Rule::Kind::EnumOnly:
      what = fmt::format("{} is not an allowed value", issue.actual);
      break;
    case Rule::Kind::Relation:
      what = fmt::format("{} disagrees with the relation ({} expected)", issue.actual, issue.expected);
      break;
    case Rule::Kind::Expr:
    case Rule::Kind::Pair:
      what = fmt::format("'{}' does not hold", m.exprs[r.expr].text);
      break;
    case Rule::Kind::Structure:
      if (issue.rule == m.builtin.truncated) {
        what = fmt::format("needs {} bytes, {} left", issue.expected, issue.actual);
      } else if (issue.rule == m.builtin.trailing) {
        what = fmt::format("{} bytes after the last field", issue.actual);
      } else if (issue.rule == m.builtin.unknown_case) {
        what = fmt::format("no layout for {}", issue.actual);
      } else {
        what = r.doc;
      }
      break;
    case Rule::Kind::Codec:
      what = r.doc;
      break;
  }
  return fmt::format("{} {} [{}] {} at offset {}: {}", r.clause, to_string(r.strength), r.id, where, issue.offset, what);
}

std::string format_summary(const Message& msg) {
  std::string s = msg.type_name();
  size_t must = msg.broken(Strength::Must);
  if (!msg.issues.empty()) {
    s += fmt::format(" [{} broken, {} MUST:", msg.issues.size(), must);
    std::set<std::string> ids;
    for (const Issue& i : msg.issues) ids.insert(msg.model().rules[i.rule].id);
    for (const auto& id : ids) s += " " + id;
    s += "]";
  }
  return s;
}

std::string format_model(const Model& model, bool with_rules) {
  std::string out = fmt::format("{} ({}), {} message types, digest {}\n", model.name, model.title,
                                model.messages.size(), model.digest.substr(0, 16));
  std::function<void(FieldId, unsigned, std::set<TypeId>&)> field = [&](FieldId f, unsigned depth,
                                                                         std::set<TypeId>& seen) {
    const FieldDef& fd = model.fields[f];
    const TypeDef& t = model.types[fd.type];
    static const char* kinds[] = {"uint", "int", "varint", "bits", "bytes", "text", "struct", "array", "switch", "layer"};
    std::string type_name = t.name != kNone ? model.str(t.name) : kinds[static_cast<int>(t.kind)];
    if ((t.kind == Kind::Uint || t.kind == Kind::Sint) && t.name == kNone) {
      type_name = fmt::format("{}{}{}", t.kind == Kind::Uint ? "u" : "i", t.size ? std::to_string(8 * t.size) : "",
                              t.size ? (t.endian == Endian::Little ? "le" : "") : " (rest)");
    }
    if (fd.name != kNone) {
      std::string extra;
      if (fd.relation != kNone) {
        const Relation& r = model.relations[fd.relation];
        static const char* rk[] = {"length of", "count of", "checksum of", "derived", "selector"};
        extra += fmt::format(" <{}>", rk[static_cast<int>(r.kind)]);
      }
      if (fd.when != kNone) extra += " when " + model.exprs[fd.when].text;
      out += fmt::format("{:{}}{}: {}{}\n", "", 2 * depth, model.str(fd.name), type_name, extra);
      if (with_rules) {
        for (RuleId rid : fd.rules) {
          const Rule& r = model.rules[rid];
          out += fmt::format("{:{}}  rule {} ({} {}) reactions: {}\n", "", 2 * depth, r.id, r.clause,
                             to_string(r.strength), reactions_text(model, r));
        }
      }
      ++depth;
    }
    if (t.is_message && fd.name == kNone && depth > 0) return;  // listed on its own
    if (seen.count(fd.type)) return;
    seen.insert(fd.type);
    switch (t.kind) {
      case Kind::Struct:
        for (FieldId c : t.fields) field(c, depth, seen);
        break;
      case Kind::Bits:
        for (const BitSlice& s : t.bits) field(s.field, depth, seen);
        break;
      case Kind::Array:
        field(t.item, depth, seen);
        break;
      case Kind::Layer:
        field(t.content, depth, seen);
        break;
      default:
        break;
    }
    seen.erase(fd.type);
  };
  for (MessageId id = 0; id < model.messages.size(); ++id) {
    const MessageDef& md = model.messages[id];
    out += fmt::format("\n{} {}  ({}{})\n", to_string(md.direction), model.str(md.name), md.clause,
                       md.doc.empty() ? "" : ": " + md.doc);
    std::set<TypeId> seen;
    const TypeDef& t = model.types[md.type];
    for (FieldId c : t.fields) field(c, 1, seen);
  }
  return out;
}

}  // namespace pc::model
