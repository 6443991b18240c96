// The stateful phase: attacks on the sequence rather than on one message, built from the
// model's session section. Each attack the profile names contributes its cases:
//   forbidden_state  a side effect (e.g. listen-only), then every request type: a correct
//                    device stays silent until the undo
//   skip_opener      a request on a fresh connection without the session's opener
//   repeat_opener    the opener twice
//   stale_id         a request whose counter repeats the previous one's
//   replay           a request sent twice in a row
//   interleave       two requests in one segment, back to back
//   write_then_read  a write of the largest value to a table, then every read of that
//                    table at the same address (handlers that trust what they read)
#pragma once

#include "core/generate/systematic.hpp"

namespace pc::generate {

class Stateful {
 public:
  // `table_first`: the first mapped address of each data table, where discovery found one.
  Stateful(const Catalog& catalog, const Counters& counters, const Systematic& plain, const Profile& profile,
           const std::map<std::string, int64_t>& table_first = {});
  uint64_t count() const { return cases_.size(); }
  void generate(uint64_t index, TestCase& out) const;

 private:
  struct PlanStep {
    model::MessageId message = model::kNone;
    Expect expect = Expect::Answer;
    std::vector<std::pair<std::string, int64_t>> sets;  // fields set by path
  };
  struct Plan {
    std::string attack;
    std::vector<PlanStep> steps;
    std::vector<PlanStep> undo;
    bool interleave = false;
  };
  const Catalog& catalog_;
  const Systematic& plain_;
  std::vector<Plan> cases_;
};

}  // namespace pc::generate
