// Culprit search: which of the cases sent since the last healthy probe made a finding
// happen, reduced to the fewest messages and the fewest non-default fields, then
// confirmed by replaying it on a healthy target.
//
//   1. the anomalous case alone; else the whole window in its original order, shrunk by
//      delta debugging over cases; else repetitions of the case (a leak), with the repeat
//      count bisected;
//   2. a structure-aware byte stage: each field of a one-message culprit reset to its
//      default, keeping relations valid, while the finding still happens;
//   3. confirmation: `confirm` replays on a healthy target; none reproduces -> flaky.
#pragma once

#include <map>

#include "core/campaign/replayer.hpp"

namespace pc::campaign {

struct CulpritResult {
  bool found = false;       // a reproducer was found and confirmed at least once
  Reproducer reproducer;
  uint32_t confirmed = 0;   // confirmations that reproduced
  uint32_t confirmations = 0;
  uint32_t replays = 0;     // replays the search took
  ReplayOutcome last;       // the last confirming replay
  std::string log;          // how it got there, for the finding's details
};

struct CulpritOptions {
  uint32_t confirm = 3;
  uint32_t max_repeat = 256;
  uint32_t max_replays = 400;
  std::chrono::seconds budget{120};  // the search gives up after this long (the anomaly stays an observation)
};

// `defaults`: each message type's default instance (the campaign's, after discovery).
// `refused`: for each window case, whether the device refused it (those are the first
// suspects of a leak that needs many repetitions).
CulpritResult find_culprit(Replayer& replayer, const std::vector<generate::TestCase>& window,
                           oracle::FindingKind kind, const std::map<model::MessageId, model::Message>& defaults,
                           const CulpritOptions& options, const std::vector<bool>& refused = {});

}  // namespace pc::campaign
