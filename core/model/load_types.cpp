// The loader's type compiler: builtin scalars, structs, arrays, switches, bit
// containers, codec layers and the BER sugar. Every constructor compiles into a type id
// reserved beforehand, so a type may refer to itself (recursive types).
#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "core/model/loader_impl.hpp"

namespace pc::model::load {
namespace {

const std::initializer_list<const char*> kTypeKeys = {
    "type", "size", "endian", "encoding", "display", "fields", "item", "count", "default_count", "until",
    "on", "peek", "cases", "else", "prefer", "codec", "content", "order", "max_bytes", "indefinite", "max_depth",
    "message", "ber", "doc"};

bool is_key(const std::string& k, std::initializer_list<const char*> keys) {
  return std::any_of(keys.begin(), keys.end(), [&](const char* x) { return k == x; });
}

bool valid_name(const std::string& s) {
  static const std::regex re("[a-z_][a-z0-9_]*");
  return std::regex_match(s, re);
}

// "u16le" -> (Uint, 2, little); "i8" -> (Sint, 1, default order)
bool fixed_int_name(const std::string& s, Kind& kind, uint8_t& size, Endian& endian, bool default_little) {
  static const std::regex re("([ui])(8|16|24|32|40|48|56|64)(le|be)?");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return false;
  kind = m[1] == "u" ? Kind::Uint : Kind::Sint;
  size = static_cast<uint8_t>(std::stoi(m[2]) / 8);
  endian = m[3].matched ? (m[3] == "le" ? Endian::Little : Endian::Big) : (default_little ? Endian::Little : Endian::Big);
  return true;
}

bool is_builtin_scalar(const std::string& s) {
  Kind k;
  uint8_t size;
  Endian e;
  return fixed_int_name(s, k, size, e, false) || s == "uint" || s == "int" || s == "varint" || s == "ber_length" ||
         s == "axdr_length" || s == "ber_tag" || s == "escaped_length" || s == "bytes" || s == "text";
}

}  // namespace

FieldId Loader::synthetic_field(TypeId type, TypeId parent, SourcePos pos) {
  FieldDef f;
  f.type = type;
  f.parent = parent;
  f.pos = pos;
  m_.fields.push_back(std::move(f));
  return static_cast<FieldId>(m_.fields.size() - 1);
}

TypeId Loader::reserve_type() {
  m_.types.emplace_back();
  return static_cast<TypeId>(m_.types.size() - 1);
}

TypeId Loader::named_type(const std::string& name, const YAML::Node& at) {
  auto it = named_.find(name);
  if (it != named_.end()) return it->second;
  if (is_builtin_scalar(name)) return type_ref(YAML::Node(name), name);
  if (!valid_name(name)) fail(at, fmt::format("type name '{}' must be lower_snake_case", name));
  YAML::Node body = types_node_ ? types_node_[name] : YAML::Node();
  if (!body) fail(at, fmt::format("unknown type '{}'", name));
  TypeId id = reserve_type();
  named_[name] = id;
  if (body.IsScalar()) {  // an alias: `register_address: u16`
    TypeId target = type_ref(body, name);
    m_.types[id] = m_.types[target];
  } else if (body.IsMap()) {
    compile_type(body, id, name);
  } else {
    fail(body, fmt::format("type '{}' must be a mapping or a type name", name));
  }
  TypeDef& t = m_.types[id];
  t.name = m_.names.intern(name);
  if (body.IsMap() && body["message"]) {
    const YAML::Node& msg = body["message"];
    if (msg.IsMap()) {
      allow_keys(msg, {"doc", "clause", "pair_rules", "writes", "reads"}, "message");
      t.is_message = true;
      if (msg["doc"]) t.message_doc = parse_str(msg["doc"], "message.doc");
      if (msg["clause"]) t.message_clause = parse_str(msg["clause"], "message.clause");
      if (const YAML::Node& w = msg["writes"]) {
        if (w.IsMap()) {
          allow_keys(w, {"address", "count", "table", "value"}, "writes");
          t.message_writes = true;
          if (w["address"]) t.write_address = parse_str(w["address"], "writes.address");
          if (w["count"]) t.write_count = parse_str(w["count"], "writes.count");
          if (w["table"]) t.write_table = parse_str(w["table"], "writes.table");
          if (w["value"]) t.write_value = parse_str(w["value"], "writes.value");
        } else {
          t.message_writes = parse_bool(w, "writes");
        }
      }
      if (const YAML::Node& r = msg["reads"]) {
        allow_keys(r, {"address", "count", "table"}, "reads");
        if (!r["address"] || !r["table"]) fail(r, "reads needs 'address' and 'table'");
        t.read_address = parse_str(r["address"], "reads.address");
        if (r["count"]) t.read_count = parse_str(r["count"], "reads.count");
        t.read_table = parse_str(r["table"], "reads.table");
      }
      if (msg["pair_rules"]) message_pair_rules_[id] = msg["pair_rules"];
    } else {
      t.is_message = parse_bool(msg, "message");
    }
    if (t.is_message && (t.kind != Kind::Struct && t.kind != Kind::Layer && t.kind != Kind::Array)) {
      fail(msg, "a message type is a struct, a ber type, a layer or an array");
    }
  }
  if (body.IsMap() && body["max_depth"]) {
    int64_t d = parse_int(body["max_depth"], "max_depth");
    if (d < 1 || d > 255) fail(body["max_depth"], "max_depth must be 1..255");
    m_.types[id].max_depth = static_cast<uint16_t>(d);
  }
  return id;
}

TypeId Loader::type_ref(const YAML::Node& n, const std::string& context) {
  if (n.IsMap()) return inline_type(n, context);
  if (!n.IsScalar()) fail(n, fmt::format("{}: a type is a name or a mapping", context));
  const std::string s = n.Scalar();
  auto cached = builtin_cache_.find(s);
  if (cached != builtin_cache_.end()) return cached->second;
  TypeDef t;
  t.pos = pos_of(n);
  Kind k;
  uint8_t size;
  Endian e;
  if (fixed_int_name(s, k, size, e, default_little_)) {
    t.kind = k;
    t.size = size;
    t.endian = e;
  } else if (s == "uint" || s == "int") {
    t.kind = s == "uint" ? Kind::Uint : Kind::Sint;
    t.size = 0;
  } else if (s == "varint") {
    t.kind = Kind::Varint;
    t.varint = VarintStyle::Base128;
    t.max_bytes = 4;
  } else if (s == "ber_length" || s == "axdr_length") {
    t.kind = Kind::Varint;
    t.varint = VarintStyle::BerLength;
    t.max_bytes = 9;
  } else if (s == "ber_tag") {
    t.kind = Kind::Varint;
    t.varint = VarintStyle::BerTag;
    t.max_bytes = 6;
  } else if (s == "escaped_length") {
    t.kind = Kind::Varint;
    t.varint = VarintStyle::Escaped;
    t.max_bytes = 3;
  } else if (s == "bytes" || s == "text") {
    t.kind = s == "bytes" ? Kind::Bytes : Kind::Text;
    if (t.kind == Kind::Text) t.encoding = TextEncoding::Utf8;
  } else if (s == "struct" || s == "array" || s == "switch" || s == "bits" || s == "layer") {
    fail(n, fmt::format("{}: '{}' needs its attributes (write it as a mapping)", context, s));
  } else {
    return named_type(s, n);
  }
  m_.types.push_back(std::move(t));
  TypeId id = static_cast<TypeId>(m_.types.size() - 1);
  builtin_cache_[s] = id;
  return id;
}

TypeId Loader::inline_type(const YAML::Node& n, const std::string& context) {
  // a mapping whose only type key is `type: NAME` refers to that type
  bool attrs = false;
  for (const auto& kv : n) {
    std::string k = kv.first.as<std::string>("");
    if (k != "type" && k != "doc" && is_key(k, kTypeKeys)) attrs = true;
  }
  if (!attrs && n["type"] && n["type"].IsScalar()) {
    const std::string& name = n["type"].Scalar();
    if (name != "struct" && name != "array" && name != "switch" && name != "bits" && name != "layer") {
      return type_ref(n["type"], context);
    }
  }
  TypeId id = reserve_type();
  compile_type(n, id, context);
  return id;
}

void Loader::compile_type(const YAML::Node& n, TypeId into, const std::string& context) {
  if (n["ber"]) {
    ber_type(n, into, context);
    return;
  }
  std::string kind = n["type"] ? parse_str(n["type"], "type") : (n["fields"] ? "struct" : "");
  if (kind.empty()) fail(n, fmt::format("{}: no 'type' (and no 'fields' for a struct)", context));
  auto only = [&](std::initializer_list<const char*> allowed) {
    for (const auto& kv : n) {
      std::string key = kv.first.as<std::string>("");
      if (!is_key(key, kTypeKeys)) continue;  // field keys are the field's business
      if (key == "type" || key == "message" || key == "max_depth" || key == "doc") continue;
      if (!is_key(key, allowed)) {
        fail(kv.first, fmt::format("{}: '{}' does not apply to a {}", context, key, kind));
      }
    }
  };
  auto endian_attr = [&](Endian& out) {
    if (!n["endian"]) return;
    std::string s = parse_str(n["endian"], "endian");
    if (s != "big" && s != "little") fail(n["endian"], "endian must be big or little");
    out = s == "little" ? Endian::Little : Endian::Big;
  };
  if (kind == "struct") {
    only({"fields"});
    struct_type(n, into, context);
    return;
  }
  if (kind == "switch") {
    only({"on", "peek", "cases", "else", "prefer"});
    switch_type(n, into, context);
    return;
  }
  if (kind == "bits") {
    only({"size", "endian", "fields", "order"});
    bits_type(n, into, context);
    return;
  }
  if (kind == "layer") {
    only({"codec", "content"});
    layer_type(n, into, context);
    return;
  }
  if (kind == "array") {
    only({"item", "count", "size", "default_count", "until"});
    TypeDef t;
    t.kind = Kind::Array;
    t.pos = pos_of(n);
    if (!n["item"]) fail(n, fmt::format("{}: an array needs 'item'", context));
    if (n["count"]) t.count_expr = expr(n["count"], "count");
    if (n["size"]) t.size_expr = expr(n["size"], "size");
    if (n["until"] && parse_str(n["until"], "until") != "end") fail(n["until"], "'until: end' is the only form");
    if (n["default_count"]) {
      int64_t dc = parse_int(n["default_count"], "default_count");
      if (dc < 0 || dc > 4096) fail(n["default_count"], "default_count must be 0..4096");
      t.default_count = static_cast<uint32_t>(dc);
    }
    TypeId item = type_ref(n["item"], context + "[]");
    t.item = synthetic_field(item, into, pos_of(n["item"]));
    m_.types[into] = std::move(t);
    if (n["item"].IsMap()) {
      // an item may say what any field says of its values (enum names, rules, defaults)
      for (const auto& kv : n["item"]) {
        std::string k = kv.first.as<std::string>("");
        if (is_key(k, kTypeKeys)) continue;
        static const std::initializer_list<const char*> item_keys = {"doc", "clause", "default", "const", "values",
                                                                      "valid", "volatile", "secret", "opaque"};
        if (!is_key(k, item_keys)) fail(kv.first, fmt::format("{}: '{}' does not apply to an array item", context, k));
      }
      field_attributes(n["item"], m_.types[into].item, context + "[]");
    }
    return;
  }
  if (!is_builtin_scalar(kind)) {
    fail(n["type"], fmt::format("{}: '{}' is a named type; give its attributes in its definition", context, kind));
  }
  TypeDef t = m_.types[type_ref(n["type"], context)];
  t.pos = pos_of(n);
  t.name = kNone;
  switch (t.kind) {
    case Kind::Uint:
    case Kind::Sint:
      only({"size", "endian"});
      if (n["size"]) {
        if (n["size"].IsScalar() && n["size"].Scalar() == "rest") {
          t.size = 0;
        } else {
          int64_t s = parse_int(n["size"], "size");
          if (s < 1 || s > 8) fail(n["size"], "an integer's size is 1..8 bytes, or 'rest'");
          t.size = static_cast<uint8_t>(s);
        }
      }
      endian_attr(t.endian);
      break;
    case Kind::Varint:
      only({"max_bytes", "indefinite"});
      if (n["max_bytes"]) {
        int64_t mb = parse_int(n["max_bytes"], "max_bytes");
        if (mb < 1 || mb > 9) fail(n["max_bytes"], "max_bytes must be 1..9");
        t.max_bytes = static_cast<uint8_t>(mb);
      }
      if (n["indefinite"]) {
        if (t.varint != VarintStyle::BerLength) fail(n["indefinite"], "'indefinite' applies to ber_length only");
        t.allow_indefinite = parse_bool(n["indefinite"], "indefinite");
      }
      break;
    case Kind::Bytes:
    case Kind::Text:
      only({"size", "encoding", "display"});
      if (const YAML::Node& s = n["size"]) {
        if (s.IsScalar() && s.Scalar() == "rest") {
          // the default
        } else if (s.IsScalar() && !s.Scalar().empty() && std::isdigit(static_cast<unsigned char>(s.Scalar()[0])) &&
                   s.Scalar().find_first_of(" +-*/()") == std::string::npos) {
          int64_t v = parse_int(s, "size");
          if (v < 0 || v > (1 << 24)) fail(s, "size must be 0..16777216");
          t.fixed_size = static_cast<uint32_t>(v);
        } else {
          t.size_expr = expr(s, "size");
        }
      }
      if (n["encoding"]) {
        std::string enc = parse_str(n["encoding"], "encoding");
        if (enc == "ascii") t.encoding = TextEncoding::Ascii;
        else if (enc == "utf8" || enc == "utf-8") t.encoding = TextEncoding::Utf8;
        else if (enc == "latin1") t.encoding = TextEncoding::Latin1;
        else fail(n["encoding"], "encoding must be ascii, utf8 or latin1");
      }
      if (n["display"]) {
        std::string d = parse_str(n["display"], "display");
        if (d == "hex") t.display = Display::Hex;
        else if (d == "text") t.display = Display::Text;
        else if (d == "oid") t.display = Display::Oid;
        else fail(n["display"], "display must be hex, text or oid");
      }
      break;
    default:
      break;
  }
  m_.types[into] = std::move(t);
}

void Loader::struct_type(const YAML::Node& n, TypeId into, const std::string& context) {
  const YAML::Node& fields = n["fields"];
  if (!fields || !fields.IsSequence()) fail(n, fmt::format("{}: 'fields' must be a list", context));
  m_.types[into].kind = Kind::Struct;
  m_.types[into].pos = pos_of(n);
  std::vector<FieldId> ids;
  std::set<NameId> seen;
  uint16_t index = 0;
  for (const auto& f : fields) {
    if (index >= 1000) fail(f, "a struct holds at most 1000 fields");
    FieldId id = make_field(f, into, index++, context);
    NameId nm = m_.fields[id].name;
    if (!seen.insert(nm).second) fail(f, fmt::format("{}: field '{}' declared twice", context, m_.str(nm)));
    ids.push_back(id);
  }
  m_.types[into].fields = std::move(ids);
}

}  // namespace pc::model::load
