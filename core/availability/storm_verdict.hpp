// A storm's verdict from its steps, its recovery and its sessions, and the finding it
// files. Pure functions: the same result always gives the same verdict (docs/dos.md,
// "Verdicts").
//
//   recovery   prompt within the grace, slow within the window, none otherwise
//   a storm    the worst of its steps (a degraded step a confirmation did not repeat
//              counts as available); no recovery makes it failed, a slow recovery at
//              least degraded, sessions still refused after the peers left failed, a
//              target process that died failed
//   finding    crash (died) > needs-manual-reset (no recovery) > resource-exhaustion
//              (sessions never freed) > degraded (a degraded or failed verdict)
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/availability/judge.hpp"
#include "core/availability/storm_result.hpp"
#include "core/oracle/finding_kind.hpp"
#include "core/observe/thresholds.hpp"

namespace pc::availability {

// `seconds` from the storm's end to the recovery, nullopt when the function did not come back.
std::string recovery_verdict(std::optional<double> seconds, std::chrono::milliseconds grace);

struct StormVerdict {
  Verdict verdict = Verdict::NotJudged;
  std::string why;                          // one sentence with the numbers
  std::optional<oracle::FindingKind> kind;  // the finding to file, if any (only for r.status "ran")
};

// `died`: the target process died during the storm.
StormVerdict conclude_storm(const StormResult& r, const observe::Thresholds& t, bool died);

}  // namespace pc::availability
