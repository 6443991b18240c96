// Several connections at once (--connections N) for the systematic phase, whose cases are
// independent: N workers, each with its own connection, take the next case index, run it
// and take the oracle's first look. Everything that needs the target's health or a culprit
// search goes back to the campaign's thread, with the workers paused until it is done.
#pragma once

#include <functional>
#include <optional>

#include "core/campaign/executor.hpp"
#include "core/campaign/safety.hpp"
#include "core/generate/systematic.hpp"

namespace pc::campaign {

struct ParallelResult {
  generate::TestCase test;
  oracle::CaseResult result;  // result.test points into `test`
  oracle::Verdict verdict;
  std::vector<transport::Received> raw;
  int64_t sent_utc_ms = 0;
  std::string excluded;  // why the safety rules kept it back ("" when sent)
};

class Parallel {
 public:
  Parallel(const model::Model& model, TargetControl& target, const generate::Systematic& gen, const Safety& safety,
           const oracle::DataMap& map, uint32_t connections, std::chrono::microseconds deadline, double rate);
  ~Parallel();
  // Runs cases [from, to) and hands each result to `handle` on the calling thread, in the
  // order they finish. `handle` returns false to stop early. `keep_going` is asked often.
  void run(uint64_t from, uint64_t to, const std::function<bool(ParallelResult&)>& handle,
           const std::function<bool()>& keep_going);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pc::campaign
