#include "core/campaign/safety.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/model/decoder.hpp"

namespace pc::campaign {

std::string Safety::check_message(const model::Message& msg) const {
  // unit scope
  if (!options_.unit_ids.empty() && model_.session.unit != model::kNone) {
    for (uint32_t v = 0; v < msg.values.size(); ++v) {
      const auto* f = msg.field(v);
      if (!f || f->name != model_.session.unit) continue;
      int64_t unit = static_cast<int64_t>(msg.values[v].num);
      if (std::find(options_.unit_ids.begin(), options_.unit_ids.end(), unit) == options_.unit_ids.end()) {
        return fmt::format("unit id {} is outside the campaign's scope", unit);
      }
      break;
    }
  }
  // exclusions by message and field value
  const std::string type = msg.type_name();
  for (const auto& x : options_.exclusions) {
    if (!x.message.empty() && x.message != type) continue;
    if (x.field.empty()) return fmt::format("excluded: {}{}", type, x.why.empty() ? "" : " (" + x.why + ")");
    auto value = msg.get(x.field);
    if (!value) continue;
    if (!x.equals || *x.equals == *value) {
      return fmt::format("excluded: {}.{} = {}{}", type, x.field, *value, x.why.empty() ? "" : " (" + x.why + ")");
    }
  }
  // writes
  if (!msg.resolved()) {
    // an unresolved request (a mutated discriminant) may still be a write: be careful
    return options_.read_only || !options_.writable.empty() ? "not a known message: cannot rule out a write" : "";
  }
  const model::MessageDef& md = model_.messages[msg.type];
  if (!md.writes) return "";
  if (options_.read_only) return fmt::format("read-only campaign: {} writes", type);
  if (options_.writable.empty()) return "";
  if (md.write_address.empty()) return fmt::format("{} writes where the allow-list cannot check", type);
  auto first = msg.get(md.write_address);
  if (!first) return fmt::format("{}: no write address", type);
  int64_t count = 1;
  if (!md.write_count.empty()) count = msg.get(md.write_count).value_or(1);
  int64_t last = *first + std::max<int64_t>(count, 1) - 1;
  for (const auto& r : options_.writable) {
    if (*first >= r.first && last <= r.last) return "";
  }
  return fmt::format("{} writes {}..{}, outside the writable ranges", type, *first, last);
}

std::string Safety::check(const generate::TestCase& test) const {
  if (!any_rule_) return "";
  // by what each step was built as: a mutated write is still a write to the device, even
  // when its bytes no longer decode as one
  auto built_as = [&](model::MessageId id) -> std::string {
    if (id == model::kNone) return "";
    const model::MessageDef& md = model_.messages[id];
    const std::string name = model_.str(md.name);
    for (const auto& x : options_.exclusions) {
      if (x.field.empty() && x.message == name) return fmt::format("excluded: {}{}", name, x.why.empty() ? "" : " (" + x.why + ")");
    }
    if (md.writes && options_.read_only) return fmt::format("read-only campaign: {} writes", name);
    return "";
  };
  auto one = [&](const generate::Step& s) {
    if (auto why = built_as(s.message); !why.empty()) return why;
    model::Message msg = model::decode(model_, model::Direction::Request, s.bytes);
    // a write built to stay inside the allow-list must still decode as that write
    if (s.message != model::kNone && model_.messages[s.message].writes && !options_.writable.empty() &&
        msg.type != s.message) {
      return std::string("a mutated write whose address cannot be checked against the allow-list");
    }
    return check_message(msg);
  };
  for (const auto& s : test.steps) {
    if (auto why = one(s); !why.empty()) return why;
  }
  for (const auto& s : test.undo) {
    if (auto why = one(s); !why.empty()) return why;
  }
  return "";
}

}  // namespace pc::campaign
