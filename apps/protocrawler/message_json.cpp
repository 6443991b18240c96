#include "apps/protocrawler/message_json.hpp"

#include <fmt/format.h>

#include "core/model/printer.hpp"
#include "core/model/rules.hpp"

namespace pc::cli {

std::string hex_string(std::span<const uint8_t> bytes) {
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) s += fmt::format("{:02x}", b);
  return s;
}

nlohmann::json issue_json(const model::Message& msg, const model::Issue& issue) {
  const model::Rule& r = msg.model().rules[issue.rule];
  return {{"rule", r.id},
          {"clause", r.clause},
          {"strength", model::to_string(r.strength)},
          {"path", issue.value != model::kNone && issue.value < msg.values.size() ? msg.path(issue.value) : ""},
          {"offset", issue.offset},
          {"actual", issue.actual},
          {"expected", issue.expected},
          {"reactions", model::reactions_text(msg.model(), r)},
          {"text", model::format_issue(msg, issue)}};
}

nlohmann::json message_json(const model::Message& msg) {
  using model::Kind;
  nlohmann::json fields = nlohmann::json::array();
  const model::Model& m = msg.model();
  for (uint32_t v = 0; v < msg.values.size(); ++v) {
    const model::Value& val = msg.values[v];
    const model::FieldDef* f = msg.field(v);
    if (f && f->name == model::kNone) continue;  // switch cases, array items: shown by path
    nlohmann::json j = {{"path", msg.path(v)}, {"offset", val.offset}, {"size", val.size}};
    if (!f || (val.flags & model::kRaw)) {
      j["hex"] = hex_string(msg.bytes(v));
    } else {
      Kind k = m.types[f->type].kind;
      if (k == Kind::Uint || k == Kind::Varint || k == Kind::Bits) {
        j["value"] = val.num;
      } else if (k == Kind::Sint) {
        j["value"] = static_cast<int64_t>(val.num);
      } else if (k == Kind::Bytes || k == Kind::Text) {
        j["hex"] = hex_string(msg.bytes(v));
        if (k == Kind::Text) j["text"] = model::format_value(msg, v);
      } else {
        continue;  // structs, arrays, switches: their children carry the values
      }
      for (const auto& e : f->enums) {
        if (e.value == static_cast<int64_t>(val.num)) j["name"] = m.str(e.name);
      }
    }
    std::vector<std::string> flags;
    if (val.flags & model::kPinned) flags.emplace_back("pinned");
    if (val.flags & model::kOverridden) flags.emplace_back("overridden");
    if (val.flags & model::kExcess) flags.emplace_back("excess");
    if (!flags.empty()) j["flags"] = flags;
    fields.push_back(std::move(j));
  }
  nlohmann::json issues = nlohmann::json::array();
  for (const auto& i : msg.issues) issues.push_back(issue_json(msg, i));
  return {{"type", msg.type_name()}, {"direction", model::to_string(msg.direction)}, {"fields", fields},
          {"issues", issues}};
}

}  // namespace pc::cli
