#include "core/oracle/verdict.hpp"

#include "core/model/rules.hpp"

#include <fmt/format.h>

namespace pc::oracle {

Verdict first_look(const model::Model& model, const CaseResult& r, const DataMap* map) {
  Verdict v;
  bool state_refused = false;  // a side effect was answered: the state it sets may not hold
  for (size_t s = 0; s < r.answers.size(); ++s) {
    const AnswerView& a = r.answers[s];
    generate::Expect expect = generate::Expect::Answer;
    if (r.test) {
      const auto& steps = r.test->steps;
      if (s < steps.size()) {
        expect = steps[s].expect;
      } else if (s - steps.size() < r.test->undo.size()) {
        expect = r.test->undo[s - steps.size()].expect;
      }
    }
    if (a.reaction == Reaction::Error || a.stale) {
      v.action = Verdict::Action::Rerun;
      v.step = s;
      v.detail = a.reaction == Reaction::Error ? "harness error" : "the answer belongs to an earlier request";
      return v;
    }
    if (r.test && s < r.test->steps.size() && r.test->steps[s].side_effect &&
        (a.reaction == Reaction::Refusal || a.reaction == Reaction::Normal)) {
      state_refused = true;  // the device refused (or did not take) the state change
      continue;
    }
    if (expect == generate::Expect::Either) continue;
    if (expect == generate::Expect::Silence && state_refused) continue;
    if (expect == generate::Expect::Silence) {
      // the model says a correct device stays silent here (a state that forbids answers)
      if (a.reaction == Reaction::Normal || a.reaction == Reaction::Refusal) {
        v.action = Verdict::Action::Finding;
        v.kind = FindingKind::StateViolation;
        v.step = s;
        v.reaction = reaction_text(model, a);
        v.detail = fmt::format("answered ({}) while in a state in which the device must stay silent", v.reaction);
        return v;
      }
      continue;
    }
    if (a.reaction == Reaction::Silence || a.reaction == Reaction::Close || a.reaction == Reaction::Reset ||
        a.reaction == Reaction::Refused || a.reaction == Reaction::Unframed) {
      if (v.action != Verdict::Action::Finding) {
        v.action = Verdict::Action::CheckHealth;
        v.step = s;
        v.reaction = reaction_text(model, a);
      }
      continue;
    }
    if (a.says_too_much) {
      v.action = Verdict::Action::Finding;
      v.kind = FindingKind::MemoryDisclosure;
      v.step = s;
      v.rule = a.too_much_rule;
      v.reaction = reaction_text(model, a);
      v.detail = fmt::format("the answer is longer than the request allows ({})", a.too_much_rule);
      return v;
    }
    if (a.reaction == Reaction::Normal && s < r.requests.size() && map) {
      // a request outside the device's own data map, answered normally
      if (auto o = map->outside(r.requests[s])) {
        v.action = Verdict::Action::Finding;
        v.kind = o->write ? FindingKind::AcceptedInvalid : FindingKind::MemoryDisclosure;
        v.step = s;
        v.rule = o->rule;
        v.field = o->field;
        v.reaction = reaction_text(model, a);
        v.detail = fmt::format("{} {}..{} of table {} is outside the mapped block, and the device answered normally ({})",
                               o->write ? "a write to" : "a read of", o->first, o->last, o->table, v.reaction);
        return v;
      }
    }
    if (a.reaction == Reaction::Normal && s < r.requests.size()) {
      // a request that breaks a MUST rule, answered normally
      const model::Message& req = r.requests[s];
      const model::Issue* blame = nullptr;
      for (const auto& i : req.issues) {
        const model::Rule& rule = model.rules[i.rule];
        if (rule.strength != model::Strength::Must) continue;
        std::string path = i.value != model::kNone && i.value < req.values.size() ? req.path(i.value) : "";
        if (!blame || (r.test && path == r.test->field)) blame = &i;
      }
      if (blame) {
        const model::Rule& rule = model.rules[blame->rule];
        v.action = Verdict::Action::Finding;
        v.kind = FindingKind::AcceptedInvalid;
        v.step = s;
        v.rule = rule.id;
        v.field = blame->value != model::kNone && blame->value < req.values.size() ? req.path(blame->value) : "";
        v.reaction = reaction_text(model, a);
        v.detail = fmt::format("{} ({} {}) is broken, and the device answered normally ({})", rule.id, rule.clause,
                               model::to_string(rule.strength), v.reaction);
        return v;
      }
    }
  }
  return v;
}

Verdict after_probe(const CaseResult& r, const Health& h) {
  Verdict v;
  v.action = Verdict::Action::Finding;
  (void)r;
  if (h.process && (h.process->kind == observe::ProcessEvent::Kind::Exited ||
                    h.process->kind == observe::ProcessEvent::Kind::Signalled)) {
    v.kind = FindingKind::Crash;
    v.detail = h.process->kind == observe::ProcessEvent::Kind::Signalled
                   ? fmt::format("the process died by signal {}{}", h.process->code,
                                 h.process->sanitizer_report ? " with a sanitizer report" : "")
                   : fmt::format("the process exited with code {}{}", h.process->code,
                                 h.process->sanitizer_report ? " after a sanitizer report" : "");
    return v;
  }
  if (h.probe.reaction == Reaction::Refused || h.probe.reaction == Reaction::Close ||
      h.probe.reaction == Reaction::Reset) {
    if (h.monitored || h.process) {
      v.kind = FindingKind::ResourceExhaustion;
      v.detail = "new connections are refused while the process is still running";
    } else {
      v.kind = h.recovered ? FindingKind::Hang : FindingKind::Crash;
      v.detail = h.recovered ? "connections refused for a while, then accepted again" : "the service is gone: connections are refused";
    }
    return v;
  }
  v.kind = h.recovered ? FindingKind::Hang : FindingKind::NeedsManualReset;
  v.detail = h.recovered ? "no answer, and the health probe failed; the device recovered by itself"
                         : "no answer, and the device did not recover within the recovery window";
  return v;
}

uint8_t outcome_code(const CaseResult& r) {
  if (r.answers.empty()) return static_cast<uint8_t>(Reaction::Silence);
  return static_cast<uint8_t>(r.answers.front().reaction);
}

std::string outcome_text(const model::Model& model, const CaseResult& r) {
  if (r.answers.empty()) return "none";
  const AnswerView& a = r.answers.front();
  if (a.reaction == Reaction::Normal) return "answered";
  if (a.reaction == Reaction::Refusal) return model.str(model.reactions[a.reaction_class].name);
  return to_string(a.reaction);
}

}  // namespace pc::oracle
