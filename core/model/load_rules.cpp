// The loader's attribute and rule compiler: defaults, presence, enum names, validity
// rules with their clause, strength and reactions, request -> response relations, and
// expressions.
#include <fmt/format.h>

#include "core/model/loader_impl.hpp"

namespace pc::model::load {
namespace {

std::vector<uint8_t> hex_bytes(const std::string& text, const YAML::Node& at) {
  std::vector<uint8_t> out;
  int nibble = -1;
  for (char c : text) {
    if (c == ' ' || c == ':' || c == '-') continue;
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (d < 0) fail(at, fmt::format("'{}' is not a hex digit", c));
    if (nibble < 0) {
      nibble = d;
    } else {
      out.push_back(static_cast<uint8_t>(nibble * 16 + d));
      nibble = -1;
    }
  }
  if (nibble >= 0) fail(at, "odd number of hex digits");
  return out;
}

Strength parse_strength(const YAML::Node& n) {
  std::string s = parse_str(n, "strength");
  if (s == "MUST" || s == "must") return Strength::Must;
  if (s == "SHOULD" || s == "should") return Strength::Should;
  if (s == "convention") return Strength::Convention;
  fail(n, "strength is MUST, SHOULD or convention");
}

}  // namespace

ExprId Loader::expr_text(const std::string& text, const YAML::Node& at) {
  Expr e;
  e.pos = pos_of(at);
  if (auto err = compile_expr(text, m_.names, e)) {
    fail(at, fmt::format("in expression '{}': {} (at character {})", text, err->message, err->column + 1));
  }
  m_.exprs.push_back(std::move(e));
  ExprId id = static_cast<ExprId>(m_.exprs.size() - 1);
  expr_nodes_.emplace_back(id, at);
  return id;
}

ExprId Loader::expr(const YAML::Node& n, const char* what) {
  if (!n.IsScalar()) fail(n, fmt::format("{} must be an expression", what));
  return expr_text(n.Scalar(), n);
}

RuleId Loader::add_rule(Rule r) {
  // ids are unique: a second rule of the same name gets a suffix
  std::string base = r.id;
  for (int k = 2; std::any_of(m_.rules.begin(), m_.rules.end(), [&](const Rule& x) { return x.id == r.id; }); ++k) {
    r.id = base + "_" + std::to_string(k);
  }
  m_.rules.push_back(std::move(r));
  return static_cast<RuleId>(m_.rules.size() - 1);
}

std::vector<Reaction> Loader::reactions(const YAML::Node& n) {
  std::vector<Reaction> out;
  if (!n.IsSequence()) fail(n, "reactions is a list (silence, close, reset, or a reaction class like exception(3))");
  for (const auto& item : n) {
    std::string s = parse_str(item, "reaction");
    Reaction r;
    if (s == "silence") {
      r.kind = Reaction::Kind::Silence;
    } else if (s == "close") {
      r.kind = Reaction::Kind::Close;
    } else if (s == "reset") {
      r.kind = Reaction::Kind::Reset;
    } else {
      std::string name = s, arg;
      size_t open = s.find('(');
      if (open != std::string::npos) {
        if (s.back() != ')') fail(item, fmt::format("reaction '{}': expected ')'", s));
        name = s.substr(0, open);
        arg = s.substr(open + 1, s.size() - open - 2);
      }
      r.kind = Reaction::Kind::Named;
      for (uint32_t i = 0; i < m_.reactions.size(); ++i) {
        if (m_.str(m_.reactions[i].name) == name) r.named = i;
      }
      if (r.named == kNone) fail(item, fmt::format("unknown reaction '{}' (declare it under 'reactions')", name));
      if (!arg.empty()) {
        r.any_code = false;
        r.code = parse_int_text(arg, item, "reaction code");
      }
    }
    out.push_back(r);
  }
  return out;
}

void Loader::field_rules(const YAML::Node& n, FieldId f, const std::string& context) {
  if (!n.IsSequence()) fail(n, "'valid' is a list of rules");
  int k = 0;
  for (const auto& rn : n) {
    allow_keys(rn, {"range", "one_of", "enum", "expr", "clause", "strength", "reactions", "id", "doc"}, "a rule");
    Rule r;
    r.field = f;
    r.pos = pos_of(rn);
    r.clause = rn["clause"] ? parse_str(rn["clause"], "clause") : m_.fields[f].clause;
    if (r.clause.empty()) fail(rn, fmt::format("{}: a rule needs the specification 'clause' it comes from", context));
    if (rn["strength"]) r.strength = parse_strength(rn["strength"]);
    if (rn["reactions"]) r.reactions = reactions(rn["reactions"]);
    if (rn["doc"]) r.doc = parse_str(rn["doc"], "doc");
    int kinds = static_cast<int>(static_cast<bool>(rn["range"])) + static_cast<bool>(rn["one_of"]) +
                static_cast<bool>(rn["enum"]) + static_cast<bool>(rn["expr"]);
    if (kinds != 1) fail(rn, "a rule has exactly one of range, one_of, enum, expr");
    std::string what;
    if (rn["range"]) {
      const YAML::Node& rg = rn["range"];
      if (!rg.IsSequence() || rg.size() != 2) fail(rg, "range is [lo, hi]");
      r.kind = Rule::Kind::Range;
      r.lo = parse_int(rg[0], "range lo");
      r.hi = parse_int(rg[1], "range hi");
      if (r.hi < r.lo) fail(rg, "range: hi is below lo");
      what = "range";
    } else if (rn["one_of"]) {
      if (!rn["one_of"].IsSequence()) fail(rn["one_of"], "one_of is a list of values");
      r.kind = Rule::Kind::OneOf;
      for (const auto& v : rn["one_of"]) r.set.push_back(parse_int(v, "one_of value"));
      what = "one_of";
    } else if (rn["enum"]) {
      if (parse_str(rn["enum"], "enum") != "strict") fail(rn["enum"], "enum: strict is the only form");
      if (m_.fields[f].enums.empty()) fail(rn, "enum: strict needs 'values' on the field");
      r.kind = Rule::Kind::EnumOnly;
      what = "enum";
    } else {
      r.kind = Rule::Kind::Expr;
      r.expr = expr(rn["expr"], "expr");
      what = "expr";
    }
    r.id = rn["id"] ? parse_str(rn["id"], "id") : context + "." + what + (k ? std::to_string(k + 1) : "");
    ++k;
    m_.fields[f].rules.push_back(add_rule(std::move(r)));
  }
}

void Loader::field_attributes(const YAML::Node& n, FieldId f, const std::string& context) {
  const bool ber = static_cast<bool>(n["ber"]);
  FieldDef& fd0 = m_.fields[f];
  (void)fd0;
  if (n["doc"]) m_.fields[f].doc = parse_str(n["doc"], "doc");
  if (n["clause"]) m_.fields[f].clause = parse_str(n["clause"], "clause");
  if (!ber && n["values"]) {
    const YAML::Node& vals = n["values"];
    if (!vals.IsMap()) fail(vals, "values is a mapping of number: name");
    for (const auto& kv : vals) {
      EnumName e;
      e.value = parse_int(kv.first, "enum value");
      e.name = m_.names.intern(parse_str(kv.second, "enum name"));
      m_.fields[f].enums.push_back(e);
    }
  }
  if (!ber && (n["default"] || n["const"])) {
    if (n["default"] && n["const"]) fail(n, "a field has 'default' or 'const', not both");
    const YAML::Node& d = n["default"] ? n["default"] : n["const"];
    const TypeDef& t = m_.types[m_.fields[f].type];
    FieldDef& fd = m_.fields[f];
    fd.has_default = true;
    if (t.kind == Kind::Bytes || t.kind == Kind::Text) {
      if (d.IsSequence()) {
        for (const auto& b : d) {
          int64_t v = parse_int(b, "byte");
          if (v < 0 || v > 255) fail(b, "a byte is 0..255");
          fd.default_bytes.push_back(static_cast<char>(v));
        }
      } else {
        std::string s = parse_str(d, "default");
        if (s.rfind("hex:", 0) == 0) {
          auto b = hex_bytes(s.substr(4), d);
          fd.default_bytes.assign(b.begin(), b.end());
        } else if (s.rfind("text:", 0) == 0) {
          fd.default_bytes = s.substr(5);
        } else if (t.kind == Kind::Text) {
          fd.default_bytes = s;
        } else {
          fail(d, "a bytes default is 'hex:01 02', 'text:...' or a list of byte values");
        }
      }
    } else if (t.kind == Kind::Struct || t.kind == Kind::Array || t.kind == Kind::Switch || t.kind == Kind::Layer) {
      fail(d, "only scalars take a default");
    } else {
      // an enum name or a number
      if (d.IsScalar() && !d.Scalar().empty() && (std::isalpha(static_cast<unsigned char>(d.Scalar()[0])) || d.Scalar()[0] == '_')) {
        NameId nm = m_.names.find(d.Scalar());
        bool found = false;
        for (const auto& e : fd.enums) {
          if (e.name == nm) {
            fd.default_num = e.value;
            found = true;
          }
        }
        if (!found) fail(d, fmt::format("'{}' is not one of this field's values", d.Scalar()));
      } else {
        fd.default_num = parse_int(d, "default");
      }
    }
    if (n["const"]) {
      Rule r;
      r.kind = t.kind == Kind::Bytes || t.kind == Kind::Text ? Rule::Kind::Expr : Rule::Kind::OneOf;
      r.field = f;
      r.clause = m_.fields[f].clause.empty() ? "model constant" : m_.fields[f].clause;
      r.id = context + ".const";
      r.pos = pos_of(d);
      if (r.kind == Rule::Kind::OneOf) {
        r.set.push_back(m_.fields[f].default_num);
        m_.fields[f].rules.push_back(add_rule(std::move(r)));
      }
    }
  }
  if (n["when"]) m_.fields[f].when = expr(n["when"], "when");
  if (n["optional"]) {
    if (!ber) fail(n["optional"], "'optional' is for ber fields (present when the next tag is theirs); use 'when'");
    if (n["when"]) fail(n["optional"], "a field has 'optional' or 'when', not both");
    if (parse_bool(n["optional"], "optional")) {
      const YAML::Node& tag = n["ber"];
      if (tag.IsScalar() && tag.Scalar() == "any") fail(n["optional"], "an optional ber field needs a fixed tag");
      std::string cond = fmt::format("remaining() > 0 && peek_ber_tag() == {}", parse_int(tag, "ber tag"));
      m_.fields[f].when = expr_text(cond, n["optional"]);
      m_.fields[f].default_present = false;
    }
  }
  if (n["default_present"]) m_.fields[f].default_present = parse_bool(n["default_present"], "default_present");
  for (const char* k : {"volatile", "secret", "opaque"}) {
    if (!n[k]) continue;
    bool v = parse_bool(n[k], k);
    if (std::string_view(k) == "volatile") m_.fields[f].is_volatile = v;
    else if (std::string_view(k) == "secret") m_.fields[f].secret = v;
    else m_.fields[f].opaque = v;
  }
  if (!ber && n["valid"]) field_rules(n["valid"], f, context);
  if (n["length_of"] || n["count_of"] || n["checksum"] || n["derive"]) {
    pending_.push_back({f, n, context});
  } else {
    for (const char* k : {"offset", "unit", "relation"}) {
      if (n[k]) fail(n[k], fmt::format("'{}' goes with length_of, count_of, checksum or derive", k));
    }
  }
  // request -> response relations on a response field
  if (n["echo"] || n["expect"]) {
    if (n["echo"] && n["expect"]) fail(n, "a field has 'echo' or 'expect', not both");
    const YAML::Node& e = n["echo"] ? n["echo"] : n["expect"];
    std::string self = m_.str(m_.fields[f].name);
    std::string text = fmt::format("{} == ({})", self, parse_str(e, n["echo"] ? "echo" : "expect"));
    Rule r;
    r.kind = Rule::Kind::Pair;
    r.field = f;
    r.id = context + (n["echo"] ? ".echo" : ".expect");
    r.clause = m_.fields[f].clause;
    r.pos = pos_of(e);
    if (const YAML::Node& p = n["pair"]) {
      allow_keys(p, {"clause", "strength", "doc"}, "pair");
      if (p["clause"]) r.clause = parse_str(p["clause"], "clause");
      if (p["strength"]) r.strength = parse_strength(p["strength"]);
      if (p["doc"]) r.doc = parse_str(p["doc"], "doc");
    }
    if (r.clause.empty()) fail(e, "a request -> response relation needs a 'clause' (on the field or under 'pair')");
    r.expr = expr_text(text, e);
    r.expected = expr_text(parse_str(e, "expect"), e);
    m_.fields[f].pair_rules.push_back(add_rule(std::move(r)));
  } else if (n["pair"]) {
    fail(n["pair"], "'pair' goes with echo or expect");
  }
}

}  // namespace pc::model::load
