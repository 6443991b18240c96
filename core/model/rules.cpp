#include "core/model/rules.hpp"

#include <algorithm>

#include "core/model/env.hpp"

namespace pc::model {

const char* to_string(Strength s) {
  switch (s) {
    case Strength::Must: return "MUST";
    case Strength::Should: return "SHOULD";
    case Strength::Convention: return "convention";
  }
  return "?";
}

void check_value_rules(const Model& m, Message& msg, uint32_t v) {
  const Value& val = msg.values[v];
  const FieldDef& fd = m.fields[val.field];
  const int64_t x = static_cast<int64_t>(val.num);
  const bool is_unsigned = m.types[fd.type].kind != Kind::Sint;
  for (RuleId rid : fd.rules) {
    const Rule& r = m.rules[rid];
    bool ok = true;
    switch (r.kind) {
      case Rule::Kind::Range:
        ok = is_unsigned ? (val.num >= static_cast<uint64_t>(r.lo) && val.num <= static_cast<uint64_t>(r.hi))
                         : (x >= r.lo && x <= r.hi);
        break;
      case Rule::Kind::OneOf:
        ok = std::find(r.set.begin(), r.set.end(), x) != r.set.end();
        break;
      case Rule::Kind::EnumOnly:
        ok = std::any_of(fd.enums.begin(), fd.enums.end(), [&](const EnumName& e) { return e.value == x; });
        break;
      default:
        continue;
    }
    if (!ok) msg.issues.push_back({rid, v, val.offset, x, r.kind == Rule::Kind::Range ? r.lo : 0, 0});
  }
}

void check_expr_rule(const Model& m, Message& msg, RuleId rid, uint32_t scope, const uint32_t* field_values) {
  const Rule& r = m.rules[rid];
  const FieldDef& fd = m.fields[r.field];
  uint32_t at = field_values ? field_values[fd.index] : msg.child_named(scope, fd.name);
  if (at == kNone) return;  // the field is absent: the rule does not apply
  InstanceEnv env(msg, scope);
  auto ok = eval(m.exprs[r.expr], env);
  if (ok && *ok == 0) msg.issues.push_back({rid, at, msg.values[at].offset, static_cast<int64_t>(msg.values[at].num), 0, 0});
}

std::vector<Issue> check_pair(const Message& request, const Message& response) {
  std::vector<Issue> out;
  if (!response.resolved() || response.values.empty()) return out;
  const Model& m = response.model();
  auto check = [&](RuleId rid, uint32_t at, uint32_t scope) {
    InstanceEnv env(response, scope);
    env.set_request(&request);
    const Rule& rule = m.rules[rid];
    auto ok = eval(m.exprs[rule.expr], env);
    if (ok && *ok == 0) {
      int64_t expected = 0;
      if (rule.expected != kNone) expected = eval(m.exprs[rule.expected], env).value_or(0);
      out.push_back({rid, at, at == kNone ? 0 : response.values[at].offset,
                     at == kNone ? 0 : static_cast<int64_t>(response.values[at].num), expected, 0});
    }
  };
  // rules on fields, checked where the field is present
  for (uint32_t v = 0; v < response.values.size(); ++v) {
    const Value& val = response.values[v];
    if (val.field == kNone) continue;
    for (RuleId rid : m.fields[val.field].pair_rules) check(rid, v, val.parent == kNone ? v : val.parent);
  }
  // rules on the message type as a whole
  for (RuleId rid : m.messages[response.type].pair_rules) check(rid, kNone, 0);
  return out;
}

std::string reactions_text(const Model& m, const Rule& r) {
  std::string out;
  for (const Reaction& x : r.reactions) {
    if (!out.empty()) out += ", ";
    switch (x.kind) {
      case Reaction::Kind::Silence: out += "silence"; break;
      case Reaction::Kind::Close: out += "close"; break;
      case Reaction::Kind::Reset: out += "reset"; break;
      case Reaction::Kind::Named:
        out += m.str(m.reactions[x.named].name);
        if (!x.any_code) out += "(" + std::to_string(x.code) + ")";
        break;
    }
  }
  return out;
}

}  // namespace pc::model
