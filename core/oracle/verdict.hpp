// From what happened to a case to what it means. The first look needs only the answers;
// silence, closes and resets are ambiguous until a health probe has run, so the first
// look asks for one and `after_probe` finishes the judgement.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/generate/test_case.hpp"
#include "core/observe/process_monitor.hpp"
#include "core/oracle/answer.hpp"
#include "core/oracle/data_map.hpp"
#include "core/oracle/finding_kind.hpp"

namespace pc::oracle {

struct CaseResult {
  const generate::TestCase* test = nullptr;
  std::vector<AnswerView> answers;  // one per step sent (steps, then undo steps)
  std::vector<model::Message> requests;  // each step decoded
};

struct Verdict {
  enum class Action : uint8_t {
    Ok,           // nothing to pursue
    Rerun,        // the harness failed or an answer was stale: run the case again
    CheckHealth,  // ambiguous: probe the target, then call after_probe
    Finding,      // a finding that needs no probe (the answer itself shows it)
  };
  Action action = Action::Ok;
  FindingKind kind = FindingKind::AcceptedInvalid;
  size_t step = 0;          // which step showed it
  std::string rule;         // accepted-invalid: the MUST rule; memory-disclosure: the pair rule
  std::string field;        // the field the rule sits on (path in the request)
  std::string reaction;     // what the device did, as text
  std::string detail;       // one sentence for people
};

Verdict first_look(const model::Model& model, const CaseResult& r, const DataMap* map = nullptr);

struct Health {
  bool healthy = false;
  AnswerView probe;               // what the probe got
  std::optional<observe::ProcessEvent> process;  // the process's end, when a monitor saw it end
  bool monitored = false;         // a process monitor watches the target (and saw it alive)
  bool recovered = false;         // came back (by itself) within the recovery window
};

// The kind of an anomaly once the probe has failed (and recovery has been waited for).
Verdict after_probe(const CaseResult& r, const Health& h);

// The coverage outcome of a case: answered, a reaction class (exception), silence, ...
std::string outcome_text(const model::Model& model, const CaseResult& r);
uint8_t outcome_code(const CaseResult& r);

}  // namespace pc::oracle
