// The loader's field compiler, and the composite types that hold fields or cases:
// switches, bit containers, codec layers and BER TLVs.
#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "core/model/loader_impl.hpp"

namespace pc::model::load {
namespace {

const std::initializer_list<const char*> kFieldKeys = {
    "name", "doc", "clause", "default", "const", "when", "optional", "default_present", "valid", "length_of",
    "count_of", "checksum", "derive", "offset", "unit", "relation", "values", "volatile", "secret", "opaque",
    "echo", "expect", "pair", "ber",
    // type keys
    "type", "size", "endian", "encoding", "display", "fields", "item", "count", "default_count", "until", "on",
    "peek", "cases", "else", "prefer", "codec", "content", "order", "max_bytes", "indefinite", "max_depth"};

const std::initializer_list<const char*> kBitKeys = {
    "name", "bits", "doc", "clause", "default", "const", "values", "valid", "volatile", "secret", "length_of",
    "count_of", "derive", "offset", "unit", "relation", "echo", "expect", "pair"};

bool valid_name(const std::string& s) {
  static const std::regex re("[a-z_][a-z0-9_]*");
  return std::regex_match(s, re);
}

// "0x41..0x48" -> one range; "1, 2, 5" -> three keys; "7" -> one key.
std::vector<std::pair<uint64_t, uint64_t>> case_keys(const YAML::Node& key) {
  std::string text = parse_str(key, "case key");
  std::vector<std::pair<uint64_t, uint64_t>> out;
  size_t dots = text.find("..");
  if (dots != std::string::npos) {
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      return s;
    };
    int64_t lo = parse_int_text(trim(text.substr(0, dots)), key, "case range");
    int64_t hi = parse_int_text(trim(text.substr(dots + 2)), key, "case range");
    if (lo < 0 || hi < lo) fail(key, "a case range is lo..hi with 0 <= lo <= hi");
    out.emplace_back(lo, hi);
    return out;
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    int64_t v = parse_int_text(part, key, "case key");
    if (v < 0) fail(key, "case keys are not negative");
    out.emplace_back(v, v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

void Loader::switch_type(const YAML::Node& n, TypeId into, const std::string& context) {
  TypeDef t;
  t.kind = Kind::Switch;
  t.pos = pos_of(n);
  if (static_cast<bool>(n["on"]) == static_cast<bool>(n["peek"])) {
    fail(n, fmt::format("{}: a switch takes exactly one of 'on' (an expression) or 'peek' (a type)", context));
  }
  if (n["on"]) t.selector = expr(n["on"], "on");
  if (n["peek"]) {
    t.peek = type_ref(n["peek"], context);
    const TypeDef& pt = m_.types[t.peek];
    bool fixed = (pt.kind == Kind::Uint || pt.kind == Kind::Sint) && pt.size >= 1 && pt.size <= 8;
    bool tag = pt.kind == Kind::Varint && pt.varint == VarintStyle::BerTag;
    if (!fixed && !tag) fail(n["peek"], "peek takes a fixed-size integer type or ber_tag");
  }
  const YAML::Node& cases = n["cases"];
  if (!cases || !cases.IsMap() || cases.size() == 0) fail(n, fmt::format("{}: a switch needs 'cases'", context));
  std::vector<SwitchCase> out;
  for (const auto& kv : cases) {
    auto keys = case_keys(kv.first);
    TypeId ct = type_ref(kv.second, context + "[" + kv.first.Scalar() + "]");
    FieldId f = synthetic_field(ct, into, pos_of(kv.second));
    for (auto [lo, hi] : keys) out.push_back({lo, hi, f});
  }
  std::sort(out.begin(), out.end(), [](const SwitchCase& a, const SwitchCase& b) { return a.lo < b.lo; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].lo <= out[i - 1].hi) {
      fail(cases, fmt::format("{}: case keys overlap at {}", context, out[i].lo));
    }
  }
  t.cases = std::move(out);
  if (n["else"]) t.default_case = synthetic_field(type_ref(n["else"], context + "[else]"), into, pos_of(n["else"]));
  if (n["prefer"]) {
    t.has_prefer = true;
    t.prefer = static_cast<uint64_t>(parse_int(n["prefer"], "prefer"));
  }
  m_.types[into] = std::move(t);
}

void Loader::bits_type(const YAML::Node& n, TypeId into, const std::string& context) {
  TypeDef t;
  t.kind = Kind::Bits;
  t.pos = pos_of(n);
  t.endian = default_little_ ? Endian::Little : Endian::Big;
  if (!n["size"]) fail(n, fmt::format("{}: bits needs 'size' in bytes", context));
  int64_t size = parse_int(n["size"], "size");
  if (size < 1 || size > 8) fail(n["size"], "bits size is 1..8 bytes");
  t.size = static_cast<uint8_t>(size);
  if (n["endian"]) {
    std::string e = parse_str(n["endian"], "endian");
    if (e != "big" && e != "little") fail(n["endian"], "endian must be big or little");
    t.endian = e == "little" ? Endian::Little : Endian::Big;
  }
  if (n["order"]) {
    std::string o = parse_str(n["order"], "order");
    if (o != "msb" && o != "lsb") fail(n["order"], "order must be msb (first field in the top bits) or lsb");
    t.lsb_first = o == "lsb";
  }
  const YAML::Node& fields = n["fields"];
  if (!fields || !fields.IsSequence() || fields.size() == 0) fail(n, fmt::format("{}: bits needs 'fields'", context));
  const unsigned total = 8 * static_cast<unsigned>(size);
  unsigned used = 0;
  std::set<NameId> seen;
  TypeId uint_type = type_ref(YAML::Node("uint"), context);
  uint16_t index = 0;
  for (const auto& f : fields) {
    allow_keys(f, kBitKeys, "a bit field");
    if (!f["name"] || !f["bits"]) fail(f, "a bit field needs 'name' and 'bits'");
    int64_t w = parse_int(f["bits"], "bits");
    if (w < 1 || w > 64) fail(f["bits"], "bits is 1..64");
    if (used + w > total) fail(f["bits"], fmt::format("{}: bit fields take more than {} bits", context, total));
    FieldId id = synthetic_field(uint_type, into, pos_of(f));
    std::string name = parse_str(f["name"], "name");
    if (!valid_name(name)) fail(f["name"], "field names are lower_snake_case");
    m_.fields[id].name = m_.names.intern(name);
    m_.fields[id].index = index++;
    field_names_.insert(m_.fields[id].name);
    if (!seen.insert(m_.fields[id].name).second) fail(f, fmt::format("bit field '{}' declared twice", name));
    uint8_t shift = static_cast<uint8_t>(t.lsb_first ? used : total - used - w);
    t.bits.push_back({id, shift, static_cast<uint8_t>(w)});
    used += static_cast<unsigned>(w);
    field_attributes(f, id, context + "." + name);
  }
  if (used != total) {
    fail(fields, fmt::format("{}: bit fields take {} of {} bits; declare the rest (e.g. a 'reserved' field)",
                             context, used, total));
  }
  m_.types[into] = std::move(t);
}

void Loader::layer_type(const YAML::Node& n, TypeId into, const std::string& context) {
  if (!n["codec"] || !n["content"]) fail(n, fmt::format("{}: a layer needs 'codec' and 'content'", context));
  std::string sig = parse_str(n["codec"], "codec");
  static const std::regex call(R"(\s*([a-z0-9_]+)\s*(\((.*)\))?\s*)");
  std::smatch m;
  if (!std::regex_match(sig, m, call)) fail(n["codec"], "codec is written name(arg, ...)");
  std::vector<CodecArg> args;
  std::string list = m[3].str();
  size_t start = 0;
  while (!list.empty() && start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string a = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    a.erase(0, a.find_first_not_of(' '));
    a.erase(a.find_last_not_of(' ') + 1);
    CodecArg arg;
    if (!a.empty() && std::isdigit(static_cast<unsigned char>(a[0]))) {
      arg.number = parse_int_text(a, n["codec"], "codec argument");
    } else {
      arg.name = a;
    }
    args.push_back(arg);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  CodecError err;
  auto codec = make_codec(m[1].str(), args, err);
  if (!codec) fail(n["codec"], err.message);
  TypeDef t;
  t.kind = Kind::Layer;
  t.pos = pos_of(n);
  m_.codecs.push_back(std::move(codec));
  t.codec = static_cast<uint32_t>(m_.codecs.size() - 1);
  TypeId content = type_ref(n["content"], context + ".content");
  t.content = synthetic_field(content, into, pos_of(n["content"]));
  m_.types[into] = std::move(t);
}

// `ber: TAG` (or `ber: any`) makes a struct {tag, length, content...}: the tag with
// its value as default, a BER length (indefinite allowed for constructed tags) that is
// the length of everything after it, then `fields`, or one field `value` of `type`.
void Loader::ber_type(const YAML::Node& n, TypeId into, const std::string& context) {
  const YAML::Node& tag_node = n["ber"];
  bool any = tag_node.IsScalar() && tag_node.Scalar() == "any";
  int64_t tag = any ? 0 : parse_int(tag_node, "ber tag");
  if (!any && (tag < 0 || tag > 0xFFFFFFFFFFLL)) fail(tag_node, "a BER tag is its identifier octets, 1..5 bytes");
  uint64_t first = static_cast<uint64_t>(tag);
  while (first > 0xFF) first >>= 8;
  bool constructed = any || (first & 0x20) != 0;
  if (n["fields"] && n["type"]) fail(n, fmt::format("{}: a ber type has 'fields' or 'type', not both", context));

  m_.types[into].kind = Kind::Struct;
  m_.types[into].pos = pos_of(n);
  std::vector<FieldId> ids;
  auto named = [&](const char* name, TypeId type, uint16_t index) {
    FieldId id = synthetic_field(type, into, pos_of(n));
    m_.fields[id].name = m_.names.intern(name);
    m_.fields[id].index = index;
    field_names_.insert(m_.fields[id].name);
    return id;
  };
  FieldId tag_field = named("tag", type_ref(YAML::Node("ber_tag"), context), 0);
  if (!any) {
    m_.fields[tag_field].has_default = true;
    m_.fields[tag_field].default_num = tag;
  }
  ids.push_back(tag_field);
  TypeDef len_type = m_.types[type_ref(YAML::Node("ber_length"), context)];
  len_type.allow_indefinite = constructed;
  m_.types.push_back(len_type);
  FieldId len_field = named("length", static_cast<TypeId>(m_.types.size() - 1), 1);
  ids.push_back(len_field);
  uint16_t index = 2;
  if (n["fields"]) {
    if (!n["fields"].IsSequence() || n["fields"].size() == 0) {
      fail(n["fields"], "a ber type's 'fields' is a non-empty list (use 'type: bytes' for empty contents)");
    }
    std::set<NameId> seen = {m_.fields[tag_field].name, m_.fields[len_field].name};
    for (const auto& f : n["fields"]) {
      FieldId id = make_field(f, into, index++, context);
      if (!seen.insert(m_.fields[id].name).second) {
        fail(f, fmt::format("{}: field '{}' declared twice (tag and length are taken)", context, m_.str(m_.fields[id].name)));
      }
      ids.push_back(id);
    }
  } else {
    // the content as one field named `value`, with the type keys given here
    YAML::Node content(YAML::NodeType::Map);
    for (const auto& kv : n) {
      std::string k = kv.first.as<std::string>("");
      if (k == "type" || k == "size" || k == "endian" || k == "encoding" || k == "display" || k == "on" ||
          k == "peek" || k == "cases" || k == "else" || k == "item" || k == "count" || k == "until") {
        content[k] = kv.second;
      }
    }
    if (!content["type"]) content["type"] = "bytes";
    TypeId vt = inline_type(content, context + ".value");
    FieldId v = named("value", vt, index++);
    ids.push_back(v);
    // scalar attributes of a ber field describe its content value
    YAML::Node value_attrs(YAML::NodeType::Map);
    for (const char* k : {"default", "const", "values", "valid", "volatile", "secret"}) {
      if (n[k]) value_attrs[k] = n[k];
    }
    if (n["clause"]) value_attrs["clause"] = n["clause"];
    field_attributes(value_attrs, v, context + ".value");
  }
  m_.types[into].fields = ids;
  Relation r;
  r.kind = Relation::Kind::LengthOf;
  r.field = len_field;
  r.first = 2;
  r.last = static_cast<uint16_t>(ids.size() - 1);
  r.holder = 1;
  r.scopes_decode = true;
  r.scope_from = 2;
  Rule rule;
  rule.kind = Rule::Kind::Relation;
  rule.id = context + ".length.relation";
  rule.clause = "ITU-T X.690 8.1.3 (length octets)";
  rule.doc = "the length octets give the size of the contents";
  rule.field = len_field;
  r.rule = add_rule(std::move(rule));
  m_.relations.push_back(r);
  m_.fields[len_field].relation = static_cast<uint32_t>(m_.relations.size() - 1);
}

FieldId Loader::make_field(const YAML::Node& n, TypeId parent, uint16_t index, const std::string& context) {
  if (!n.IsMap()) fail(n, fmt::format("{}: a field is a mapping with 'name' and a type", context));
  allow_keys(n, kFieldKeys, "a field");
  if (!n["name"]) fail(n, fmt::format("{}: a field needs 'name'", context));
  std::string name = parse_str(n["name"], "name");
  if (!valid_name(name)) fail(n["name"], fmt::format("field name '{}' must be lower_snake_case", name));
  if (name == "request") fail(n["name"], "'request' is reserved (it names the paired request in rules)");
  FieldId id = synthetic_field(kNone, parent, pos_of(n));
  m_.fields[id].name = m_.names.intern(name);
  m_.fields[id].index = index;
  field_names_.insert(m_.fields[id].name);
  const std::string ctx = context + "." + name;
  TypeId type;
  if (n["ber"]) {
    type = reserve_type();
    ber_type(n, type, ctx);
  } else if (n["type"] || n["fields"]) {
    type = inline_type(n, ctx);
  } else {
    fail(n, fmt::format("field '{}' has no 'type'", name));
  }
  m_.fields[id].type = type;
  field_attributes(n, id, ctx);
  return id;
}

}  // namespace pc::model::load
