// The loader's last pass: relations bound to their siblings, message types found from
// the roots (with the switch cases that lead to each), expression names and defaults
// checked.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "core/model/loader_impl.hpp"

namespace pc::model::load {
namespace {

// The struct whose fields are f's siblings, and the index in it of the field holding f
// (f itself, or the bit container it lives in).
std::pair<TypeId, uint16_t> owner_of(const Model& m, FieldId f) {
  const FieldDef& fd = m.fields[f];
  if (fd.parent == kNone) return {kNone, 0};
  const TypeDef& p = m.types[fd.parent];
  if (p.kind == Kind::Struct) return {fd.parent, fd.index};
  if (p.kind == Kind::Bits) {
    for (FieldId c = 0; c < m.fields.size(); ++c) {
      const FieldDef& cd = m.fields[c];
      if (cd.type == fd.parent && cd.parent != kNone && m.types[cd.parent].kind == Kind::Struct) {
        return {cd.parent, cd.index};
      }
    }
  }
  return {kNone, 0};
}

}  // namespace

void Loader::link_relations() {
  for (const PendingRelation& p : pending_) {
    const YAML::Node& n = p.node;
    const FieldId f = p.field;
    const auto owner = owner_of(m_, f);
    const TypeId st = owner.first;
    const uint16_t holder = owner.second;
    const std::string fname = m_.str(m_.fields[f].name);
    if (st == kNone) fail(n, fmt::format("'{}': relations bind fields of a struct", fname));
    const TypeDef& s = m_.types[st];
    int kinds = static_cast<int>(static_cast<bool>(n["length_of"])) + static_cast<bool>(n["count_of"]) +
                static_cast<bool>(n["checksum"]) + static_cast<bool>(n["derive"]);
    if (kinds != 1) fail(n, fmt::format("'{}': one relation per field (length_of, count_of, checksum or derive)", fname));
    auto index_of = [&](const std::string& name, const YAML::Node& at) -> uint16_t {
      for (uint16_t i = 0; i < s.fields.size(); ++i) {
        if (m_.str(m_.fields[s.fields[i]].name) == name) return i;
      }
      fail(at, fmt::format("'{}' is not a field beside '{}'", name, fname));
    };
    // "a", "a..b", or "rest" (every field after this one)
    auto range = [&](const YAML::Node& at, uint16_t& first, uint16_t& last) {
      std::string text = parse_str(at, "range");
      if (text == "rest") {
        if (holder + 1u >= s.fields.size()) fail(at, fmt::format("'{}' is the last field: nothing is left", fname));
        first = static_cast<uint16_t>(holder + 1);
        last = static_cast<uint16_t>(s.fields.size() - 1);
        return;
      }
      size_t dots = text.find("..");
      if (dots == std::string::npos) {
        first = last = index_of(text, at);
        return;
      }
      first = index_of(text.substr(0, dots), at);
      last = index_of(text.substr(dots + 2), at);
      if (last < first) fail(at, "a range is first..last in declaration order");
    };
    Relation r;
    r.field = f;
    r.holder = holder;
    if (n["length_of"]) {
      r.kind = Relation::Kind::LengthOf;
      range(n["length_of"], r.first, r.last);
      if (r.first > holder) {
        r.scopes_decode = true;
        r.scope_from = r.first;
      } else if (r.first <= holder && holder < r.last) {
        r.scopes_decode = true;  // a length that counts itself: it bounds what follows it
        r.scope_from = static_cast<uint16_t>(holder + 1);
      }
    } else if (n["count_of"]) {
      r.kind = Relation::Kind::CountOf;
      range(n["count_of"], r.first, r.last);
      if (r.first != r.last || m_.type_of(s.fields[r.first]).kind != Kind::Array) {
        fail(n["count_of"], "count_of names one array field");
      }
    } else if (n["checksum"]) {
      const YAML::Node& c = n["checksum"];
      allow_keys(c, {"algorithm", "over"}, "checksum");
      if (!c["algorithm"] || !c["over"]) fail(c, "checksum needs 'algorithm' and 'over'");
      r.kind = Relation::Kind::Checksum;
      const ChecksumAlgo* algo = find_checksum(parse_str(c["algorithm"], "algorithm"));
      if (!algo) {
        std::string names;
        for (const auto& a : checksums()) names += (names.empty() ? "" : ", ") + std::string(a.name);
        fail(c["algorithm"], fmt::format("unknown checksum algorithm (known: {})", names));
      }
      r.algorithm = checksum_index(algo);
      range(c["over"], r.first, r.last);
      if (r.first <= holder && holder <= r.last) fail(c["over"], "a checksum cannot cover itself");
    } else {
      r.kind = Relation::Kind::Derive;
      r.expr = expr(n["derive"], "derive");
      r.first = r.last = holder;
    }
    if (n["offset"]) r.offset = parse_int(n["offset"], "offset");
    if (n["unit"]) {
      int64_t u = parse_int(n["unit"], "unit");
      if (u < 1 || u > 65536) fail(n["unit"], "unit is 1..65536");
      r.unit = static_cast<uint32_t>(u);
    }
    Rule rule;
    rule.kind = Rule::Kind::Relation;
    rule.field = f;
    rule.id = p.context + ".relation";
    rule.clause = m_.fields[f].clause;
    rule.pos = pos_of(n);
    if (const YAML::Node& rel = n["relation"]) {
      allow_keys(rel, {"clause", "strength", "reactions", "doc"}, "relation");
      if (rel["clause"]) rule.clause = parse_str(rel["clause"], "clause");
      if (rel["strength"]) {
        std::string sv = parse_str(rel["strength"], "strength");
        rule.strength = sv == "SHOULD" ? Strength::Should : sv == "convention" ? Strength::Convention : Strength::Must;
      }
      if (rel["reactions"]) rule.reactions = reactions(rel["reactions"]);
      if (rel["doc"]) rule.doc = parse_str(rel["doc"], "doc");
    }
    if (rule.clause.empty()) rule.clause = "model relation";
    r.rule = add_rule(std::move(rule));
    m_.relations.push_back(r);
    m_.fields[f].relation = static_cast<uint32_t>(m_.relations.size() - 1);
  }
  // an array counted by a plain sibling reference: that sibling is its count
  for (TypeId st = 0; st < m_.types.size(); ++st) {
    const TypeDef& s = m_.types[st];
    if (s.kind != Kind::Struct) continue;
    for (uint16_t i = 0; i < s.fields.size(); ++i) {
      const TypeDef& at = m_.type_of(s.fields[i]);
      if (at.kind != Kind::Array || at.count_expr == kNone || !m_.exprs[at.count_expr].is_plain_ref()) continue;
      const RefPath& ref = m_.exprs[at.count_expr].refs[0];
      if (ref.request || ref.segments.size() != 1) continue;
      for (uint16_t j = 0; j < i; ++j) {
        FieldId cf = s.fields[j];
        if (m_.fields[cf].name != ref.segments[0] || m_.fields[cf].relation != kNone) continue;
        Kind ck = m_.type_of(cf).kind;
        if (ck != Kind::Uint && ck != Kind::Varint) continue;
        Relation r;
        r.kind = Relation::Kind::CountOf;
        r.field = cf;
        r.holder = j;
        r.first = r.last = i;
        Rule rule;
        rule.kind = Rule::Kind::Relation;
        rule.field = cf;
        rule.id = fmt::format("{}.{}.relation", m_.str(s.name), m_.str(m_.fields[cf].name));
        rule.clause = m_.fields[cf].clause.empty() ? "model relation" : m_.fields[cf].clause;
        r.rule = add_rule(std::move(rule));
        m_.relations.push_back(r);
        m_.fields[cf].relation = static_cast<uint32_t>(m_.relations.size() - 1);
      }
    }
  }
  // each struct lists the relations it must apply and the rules it checks when complete
  for (uint32_t ri = 0; ri < m_.relations.size(); ++ri) {
    auto [st, holder] = owner_of(m_, m_.relations[ri].field);
    if (st != kNone) m_.types[st].struct_relations.push_back(ri);
  }
  for (TypeDef& t : m_.types) {
    std::sort(t.struct_relations.begin(), t.struct_relations.end(), [&](uint32_t a, uint32_t b) {
      return m_.relations[a].holder < m_.relations[b].holder;
    });
  }
  for (RuleId rid = 0; rid < m_.rules.size(); ++rid) {
    const Rule& r = m_.rules[rid];
    if (r.kind != Rule::Kind::Expr || r.field == kNone) continue;
    auto [st, holder] = owner_of(m_, r.field);
    if (st != kNone) m_.types[st].struct_rules.push_back(rid);
  }
}

void Loader::link_messages() {
  for (int d = 0; d < 2; ++d) m_.message_of[d].assign(m_.types.size(), kNone);
  for (int d = 0; d < 2; ++d) {
    std::vector<std::pair<TypeId, uint32_t>> route;
    std::vector<char> on_path(m_.types.size(), 0);
    std::function<void(TypeId)> visit = [&](TypeId t) {
      if (t == kNone || on_path[t]) return;
      on_path[t] = 1;
      const TypeDef& td = m_.types[t];
      if (td.is_message && m_.message_of[d][t] == kNone) {
        MessageDef md;
        md.name = td.name;
        md.direction = static_cast<Direction>(d);
        md.type = t;
        md.doc = td.message_doc;
        md.clause = td.message_clause;
        md.route = route;
        md.writes = td.message_writes;
        md.write_address = td.write_address;
        md.write_count = td.write_count;
        md.write_value = td.write_value;
        md.table = !td.write_table.empty() ? td.write_table : td.read_table;
        md.access_address = !td.write_table.empty() ? td.write_address : td.read_address;
        md.access_count = !td.write_table.empty() ? td.write_count : td.read_count;
        m_.messages.push_back(md);
        m_.message_of[d][t] = static_cast<MessageId>(m_.messages.size() - 1);
      }
      switch (td.kind) {
        case Kind::Struct:
          for (FieldId f : td.fields) visit(m_.fields[f].type);
          break;
        case Kind::Array:
          visit(m_.fields[td.item].type);
          break;
        case Kind::Layer:
          visit(m_.fields[td.content].type);
          break;
        case Kind::Switch:
          for (uint32_t i = 0; i < td.cases.size(); ++i) {
            route.emplace_back(t, i);
            visit(m_.fields[td.cases[i].field].type);
            route.pop_back();
          }
          if (td.default_case != kNone) {
            route.emplace_back(t, static_cast<uint32_t>(td.cases.size()));
            visit(m_.fields[td.default_case].type);
            route.pop_back();
          }
          break;
        default:
          break;
      }
      on_path[t] = 0;
    };
    visit(m_.fields[m_.root[d]].type);
  }
  for (TypeId t = 0; t < m_.types.size(); ++t) {
    const TypeDef& td = m_.types[t];
    if (td.is_message && m_.message_of[0][t] == kNone && m_.message_of[1][t] == kNone) {
      fail_at(td.pos, fmt::format("message type '{}' cannot be reached from request or response", m_.str(td.name)));
    }
  }
  for (auto& [t, node] : message_pair_rules_) {
    if (!node.IsSequence()) fail(node, "pair_rules is a list of {expr, clause, strength}");
    for (const auto& rn : node) {
      allow_keys(rn, {"expr", "clause", "strength", "doc", "id"}, "a pair rule");
      if (!rn["expr"] || !rn["clause"]) fail(rn, "a pair rule needs 'expr' and 'clause'");
      Rule r;
      r.kind = Rule::Kind::Pair;
      r.id = rn["id"] ? parse_str(rn["id"], "id") : m_.str(m_.types[t].name) + ".pair";
      r.clause = parse_str(rn["clause"], "clause");
      if (rn["doc"]) r.doc = parse_str(rn["doc"], "doc");
      if (rn["strength"]) {
        std::string sv = parse_str(rn["strength"], "strength");
        r.strength = sv == "SHOULD" ? Strength::Should : sv == "convention" ? Strength::Convention : Strength::Must;
      }
      r.expr = expr(rn["expr"], "expr");
      RuleId id = add_rule(std::move(r));
      for (int d = 0; d < 2; ++d) {
        if (m_.message_of[d][t] != kNone) m_.messages[m_.message_of[d][t]].pair_rules.push_back(id);
      }
    }
  }
}

void Loader::check_expression_names() {
  for (const auto& [id, node] : expr_nodes_) {
    for (const RefPath& ref : m_.exprs[id].refs) {
      for (NameId seg : ref.segments) {
        if (!field_names_.count(seg)) {
          fail(node, fmt::format("in expression '{}': no field is named '{}'", m_.exprs[id].text, m_.str(seg)));
        }
      }
    }
  }
}

void Loader::check_defaults() {
  for (const FieldDef& f : m_.fields) {
    if (!f.has_default || f.type == kNone) continue;
    const TypeDef& t = m_.types[f.type];
    if ((t.kind == Kind::Uint || t.kind == Kind::Bits) && t.size > 0 && t.size < 8) {
      if (f.default_num < 0 || static_cast<uint64_t>(f.default_num) >> (8 * t.size)) {
        fail_at(f.pos, fmt::format("default {} does not fit in {} bytes", f.default_num, t.size));
      }
    }
    if (t.kind == Kind::Sint && t.size > 0 && t.size < 8) {
      int64_t lo = -(int64_t{1} << (8 * t.size - 1)), hi = (int64_t{1} << (8 * t.size - 1)) - 1;
      if (f.default_num < lo || f.default_num > hi) {
        fail_at(f.pos, fmt::format("default {} does not fit in {} signed bytes", f.default_num, t.size));
      }
    }
    if (t.kind == Kind::Bytes && t.fixed_size != kNone && f.default_bytes.size() != t.fixed_size) {
      fail_at(f.pos, fmt::format("default has {} bytes; the field has {}", f.default_bytes.size(), t.fixed_size));
    }
  }
  // bit field defaults against their width
  for (const TypeDef& t : m_.types) {
    for (const BitSlice& s : t.bits) {
      const FieldDef& f = m_.fields[s.field];
      if (f.has_default && s.width < 64 && (f.default_num < 0 || static_cast<uint64_t>(f.default_num) >> s.width)) {
        fail_at(f.pos, fmt::format("default {} does not fit in {} bits", f.default_num, s.width));
      }
    }
  }
}

}  // namespace pc::model::load
