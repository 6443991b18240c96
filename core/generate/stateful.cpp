#include "core/generate/stateful.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/generate/variants.hpp"

namespace pc::generate {

Stateful::Stateful(const Catalog& catalog, const Counters& counters, const Systematic& plain, const Profile& profile,
                   const std::map<std::string, int64_t>& table_first)
    : catalog_(catalog), plain_(plain) {
  (void)counters;
  const model::Model& m = catalog.model();
  const auto& s = m.session;
  auto is_side = [&](model::MessageId id) {
    for (const auto& se : s.side_effects) {
      if (se.message == id || se.undo == id) return true;
    }
    return false;
  };
  auto is_opener = [&](model::MessageId id) { return std::find(s.open.begin(), s.open.end(), id) != s.open.end(); };
  if (profile.attacks("write_then_read")) {
    for (model::MessageId w : catalog.messages()) {
      const auto& wd = m.messages[w];
      if (!wd.writes || wd.table.empty() || wd.write_value.empty()) continue;
      model::Message wm = catalog.default_message(w);
      uint32_t vv = wm.find(wd.write_value);
      if (vv == model::kNone) continue;
      int64_t biggest = static_cast<int64_t>(value_range(wm, vv).hi);
      for (model::MessageId r : catalog.messages()) {
        const auto& rd = m.messages[r];
        if (rd.writes || rd.table != wd.table || rd.access_address.empty()) continue;
        PlanStep write{w, Expect::Answer, {{wd.write_value, biggest}}};
        PlanStep read{r, Expect::Answer, {}};
        if (auto it = table_first.find(wd.table); it != table_first.end()) {
          write.sets.insert(write.sets.begin(), {wd.access_address, it->second});
          read.sets.push_back({rd.access_address, it->second});
        }
        cases_.push_back({"write_then_read", {write, read}, {}, false});
      }
    }
  }
  if (profile.attacks("forbidden_state")) {
    for (const auto& se : s.side_effects) {
      if (!se.silent) continue;
      for (model::MessageId t : catalog.messages()) {
        if (is_side(t)) continue;
        cases_.push_back({"forbidden_state", {{se.message, Expect::Silence, {}}, {t, Expect::Silence, {}}},
                          {{se.undo, Expect::Either, {}}}, false});
      }
    }
  }
  if (!s.open.empty()) {
    for (model::MessageId t : catalog.messages()) {
      if (is_opener(t)) continue;
      if (profile.attacks("skip_opener")) cases_.push_back({"skip_opener", {{t, Expect::Silence, {}}}, {}, false});
    }
    if (profile.attacks("repeat_opener")) {
      for (model::MessageId o : s.open) {
        cases_.push_back({"repeat_opener", {{o, Expect::Answer, {}}, {o, Expect::Either, {}}}, {}, false});
      }
    }
  }
  for (model::MessageId t : catalog.messages()) {
    if (is_side(t) || is_opener(t)) continue;
    if (profile.attacks("stale_id") && !s.counters.empty()) {
      cases_.push_back({"stale_id", {{t, Expect::Either, {}}, {t, Expect::Either, {}}}, {}, false});
    }
    if (profile.attacks("replay")) cases_.push_back({"replay", {{t, Expect::Answer, {}}, {t, Expect::Either, {}}}, {}, false});
    if (profile.attacks("interleave")) {
      cases_.push_back({"interleave", {{t, Expect::Answer, {}}, {t, Expect::Either, {}}}, {}, true});
    }
  }
}

void Stateful::generate(uint64_t index, TestCase& out) const {
  const Plan& p = cases_.at(index);
  const model::Model& m = catalog_.model();
  out = TestCase{};
  out.id = {Phase::Stateful, index};
  out.mutation = MutationClass::State;
  out.fresh_connection = true;
  out.message = p.steps.back().message;
  std::string names;
  uint32_t step = 0;
  auto add = [&](std::vector<Step>& to, const PlanStep& ps) {
    Step s;
    s.message = ps.message;
    // a stale id repeats the counter of the step before it
    uint32_t counter_step = p.attack == "stale_id" && step > 0 ? step - 1 : step;
    s.bytes = plain_.plain(ps.message, index + (uint64_t{1} << 32), counter_step, ps.sets);
    s.expect = ps.expect;
    ++step;
    to.push_back(std::move(s));
    names += (names.empty() ? "" : ", ") + m.str(m.messages[ps.message].name);
    for (const auto& [path, value] : ps.sets) names += fmt::format(" {}={}", path, value);
  };
  for (const auto& ps : p.steps) add(out.steps, ps);
  for (const auto& ps : p.undo) add(out.undo, ps);
  for (auto& st : out.steps) {
    for (const auto& se : m.session.side_effects) st.side_effect |= se.message == st.message;
  }
  if (p.interleave && out.steps.size() == 2) {
    // both in one write: the device sees them back to back
    out.steps[0].bytes.insert(out.steps[0].bytes.end(), out.steps[1].bytes.begin(), out.steps[1].bytes.end());
    out.steps.pop_back();
  }
  out.recipe = p.attack + "(" + names + ")";
}

}  // namespace pc::generate
