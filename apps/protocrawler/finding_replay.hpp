// Replaying a stored finding's reproducer on a target, judged as its campaign judged it:
// shared by `replay` (one finding, any count) and `retest` (every open finding).
#pragma once

#include <memory>
#include <string>

#include "apps/protocrawler/command.hpp"
#include "core/campaign/replayer.hpp"
#include "core/store/store.hpp"

namespace pc::cli {

// The project store a command reads or amends: it must exist and be non-empty, unless
// `create` (only a command that seeds a new project may make one); throws UserError.
std::unique_ptr<store::Store> open_store(const std::string& project, bool create = false);

struct ReplayTarget {
  std::string target, target_cmd, target_ready = "listening on", reset_cmd;
  bool allow_remote = false;
  int64_t recovery_ms = -1, deadline_ms = -1, max_latency_ms = -1;  // -1: the finding's campaign's
};

// One finding ready to replay: its reproducer, model, kind, thresholds and data map.
class FindingReplay {
 public:
  // Throws UserError when the finding has no reproducer or its model does not load.
  FindingReplay(const Global& g, const store::FindingRecord& finding, const ReplayTarget& where);
  ~FindingReplay();
  // Starts (or connects to) the target; throws UserError when it cannot.
  void start();
  // One replay on a fresh target (a started process is restarted first).
  campaign::ReplayOutcome replay_once();
  std::string address() const;
  size_t messages() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pc::cli
