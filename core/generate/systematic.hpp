// The systematic phase: case i is slot/variant i of the catalogue, with the session's
// counters (transaction ids) written in as a function of i. Side-effect messages carry
// the model's undo messages.
#pragma once

#include <set>
#include <vector>

#include "core/generate/catalog.hpp"
#include "core/generate/test_case.hpp"

namespace pc::generate {

// Writes the session counters into request messages: a pure function of (case, step).
class Counters {
 public:
  explicit Counters(const model::Model& model);
  int64_t value(size_t counter, uint64_t index, uint32_t step) const;
  // Sets every counter field in `msg` (unless it is `except`).
  void apply(model::Message& msg, uint64_t index, uint32_t step, uint32_t except = model::kNone) const;
  size_t size() const { return fields_.size(); }

 private:
  std::vector<model::Session::Counter> fields_;
};

class Systematic {
 public:
  Systematic(const Catalog& catalog, const Counters& counters);
  uint64_t count() const { return catalog_.size(); }
  void generate(uint64_t index, TestCase& out) const;
  // Only the bytes of the case's first message: the hot path measured by bench_generate.
  void bytes(uint64_t index, std::vector<uint8_t>& out) const;
  // The default message with counters set for (index, step), e.g. for undo steps.
  std::vector<uint8_t> plain(model::MessageId message, uint64_t index, uint32_t step,
                             const std::vector<std::pair<std::string, int64_t>>& sets = {}) const;

 private:
  struct CounterAt {
    int32_t offset = -1;  // in the default bytes; -1 if not fixed
    uint8_t width = 0;
    bool big_endian = true;
    uint32_t value = model::kNone;  // the counter's value index in the default message
  };
  void write_counters(model::MessageId m, const Slot& s, uint32_t variant, uint64_t index,
                      std::vector<uint8_t>& out) const;
  const Catalog& catalog_;
  const Counters& counters_;
  std::map<model::MessageId, std::vector<CounterAt>> counter_at_;
  std::set<model::MessageId> slow_counters_;  // a counter here is not a byte-aligned integer
};

}  // namespace pc::generate
