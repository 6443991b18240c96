// A test case: a stable id and the messages it sends. The same model, profile, seed and
// id always give the same bytes; cases of the random phase also carry their parent and
// the recipe that made them from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/generate/mutation_class.hpp"
#include "core/model/schema.hpp"

namespace pc::generate {

enum class Phase : uint8_t { Discovery = 0, Systematic = 1, Stateful = 2, Random = 3 };
const char* phase_name(Phase p);
char phase_letter(Phase p);  // D, S, T, R

struct CaseId {
  Phase phase = Phase::Systematic;
  uint64_t index = 0;
  std::string text() const;  // "S:1234"
  bool operator==(const CaseId&) const = default;
};
// Parses "S:1234"; false when malformed.
bool parse_case_id(const std::string& text, CaseId& out);

// What a correct device does with a step.
enum class Expect : uint8_t {
  Answer,   // answers (normally, or with a refusal)
  Silence,  // stays silent: the model says so (a state that forbids answers)
  Either,   // may do either (the undo of a side effect that may not have taken hold)
};

struct Step {
  std::vector<uint8_t> bytes;
  model::MessageId message = model::kNone;  // the type it was built as
  Expect expect = Expect::Answer;
  bool side_effect = false;                 // sets a state the model says to undo
  bool expect_answer() const { return expect != Expect::Silence; }
};

struct TestCase {
  CaseId id;
  std::vector<Step> steps;
  // what the case attacks (coverage and findings are named by these)
  model::MessageId message = model::kNone;
  std::string field;   // path in the message, "pdu.quantity" ("" for message-level)
  MutationClass mutation = MutationClass::Boundary;
  std::string recipe;  // how it was made, e.g. "set(pdu.quantity,2001)"
  int64_t parent = -1; // random phase: the corpus entry it came from
  // the undo messages to send after it (side effects)
  std::vector<Step> undo;
  bool fresh_connection = false;  // run on a new connection (sequence attacks)
};

}  // namespace pc::generate
