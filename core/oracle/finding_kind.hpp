// The finding kinds the oracle can conclude (docs/findings.md says what each means for a
// vendor, and which IEC 62443-4-2 requirement it bears on).
#pragma once

#include <optional>
#include <string_view>

namespace pc::oracle {

enum class FindingKind : uint8_t {
  Crash,              // service gone: the process died (signal, sanitizer report) or the port closed
  NeedsManualReset,   // did not come back within the recovery window
  Hang,               // no answer by the deadline, and a failing probe; recovered later
  Degraded,           // latency or success ratio of the essential function out of bounds
  ResourceExhaustion, // new peers refused after N sessions while the process lives
  MemoryDisclosure,   // an answer carries bytes it should not
  AcceptedInvalid,    // a request that breaks a MUST rule got a normal answer
  StateViolation,     // a message processed in a state that forbids it
  AuthBypass,         // served without, with wrong, or with replayed credentials
  IntegrityBypass,    // a tampered check value accepted
};

std::string_view kind_name(FindingKind k);
std::optional<FindingKind> kind_from_name(std::string_view name);
// Worse first: the order reports sort by when scores tie.
int kind_rank(FindingKind k);

}  // namespace pc::oracle
