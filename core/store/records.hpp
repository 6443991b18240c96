// What the project store holds, as plain records. The store is the single source for
// reports: anything a report shows is here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pc::store {

using Id = int64_t;

struct TargetRecord {
  Id id = 0;
  std::string name;             // user's name for it, or the address
  std::string address;          // tcp://127.0.0.1:1502
  std::string component_type;   // embedded device, host device, network device, software application
  std::string vendor, product, firmware;
  std::string identity_json;    // what the device said of itself (e.g. 43/14), as JSON
  bool operator==(const TargetRecord&) const = default;
};

struct RunRecord {
  Id id = 0;
  Id target_id = 0;
  std::string model_name, model_digest;
  std::string profile;          // "sl2", "ci", ...
  uint64_t seed = 0;
  std::string campaign_yaml;    // the campaign file, verbatim (with flags applied, as YAML)
  std::string options_json;     // every effective option
  std::string tool_version;
  std::string started_utc, ended_utc;  // ISO 8601
  std::string status;           // running, completed, interrupted, failed
  uint32_t resumes = 0;         // how often Store::resume_run continued it
  bool operator==(const RunRecord&) const = default;
};

// One executed test case, compact: bytes are not kept (the id regenerates them) unless
// something happened (see CaseBytes).
struct CaseRecord {
  Id run_id = 0;
  uint8_t phase = 0;            // 0 discovery, 1 systematic, 2 stateful, 3 random
  uint64_t index = 0;
  uint8_t outcome = 0;          // outcome class (answer, exception, silence, close, reset, ...)
  uint64_t signature = 0;       // answer signature hash (feedback)
  uint32_t latency_us = 0;
  uint32_t flags = 0;           // anomaly, rerun, excluded, ...
  int64_t utc_ms = 0;           // wall-clock time it was sent (for device logs)
  // What the case exercised, by stable name; coverage is counted from these (see
  // Store::coverage). All three empty: the case counts for no coverage key.
  std::string message_type, field_path, mutation_class;
  // What coverage calls this case's outcome ("answered", "illegal-address", "excluded",
  // ...): any name, one code may have several. Interned, so it costs a case a small id.
  // Empty: coverage shows the outcome's number.
  std::string outcome_name;
  bool operator==(const CaseRecord&) const = default;
};

struct CaseBytes {
  Id run_id = 0;
  uint8_t phase = 0;
  uint64_t index = 0;
  uint32_t step = 0;
  std::vector<uint8_t> sent, answer;
  bool operator==(const CaseBytes&) const = default;
};

struct CoverageDelta {
  Id run_id = 0;
  std::string message_type, field_path, mutation_class, outcome;
  uint64_t count = 0;
  bool operator==(const CoverageDelta&) const = default;
};

struct LatencySample {
  Id run_id = 0;
  int64_t t_ms = 0;             // since the run started
  uint32_t latency_us = 0;
  std::string kind;             // probe, case, essential-function
  bool operator==(const LatencySample&) const = default;
};

struct CorpusEntry {
  Id run_id = 0;
  uint64_t entry = 0;           // index in the run's corpus
  int64_t parent = -1;          // parent entry, -1 for a seed
  std::string recipe;           // e.g. "MS: 2 set(pdu.quantity,0)-trail(3)"
  std::vector<uint8_t> bytes;   // the encoded message(s)
  uint64_t signature = 0;
  bool operator==(const CorpusEntry&) const = default;
};

struct FindingRecord {
  Id id = 0;
  std::string fingerprint;      // stable across runs and firmware versions
  std::string kind;             // crash, hang, memory-disclosure, ...
  std::string model, message_type, field_path, mutation_class, reaction;
  std::string title;
  std::string status = "open";  // open, fixed, verified, accepted-risk, false-positive
  Id first_run = 0, last_run = 0;
  std::string details_json;     // observed behaviour, probe results, reproducer ids
  std::string created_utc;
  // The score derived from the evidence (docs/scoring.md); empty until scored.
  std::string cvss_version;     // "3.1"
  std::string cvss_vector;      // "CVSS:3.1/AV:N/..."
  std::optional<double> cvss_score;
  std::string cwe;              // "CWE-787, CWE-121"
  std::string requirements;     // "CR 3.5, CR 7.1"
  std::string score_json;       // each metric with its reason, the CWE's reason
  // A user's score in place of the derived one: {"vector", "score", "cvss_version",
  // "by", "why", "utc"}; "" when none. Reports show both.
  std::string score_override_json;
  bool operator==(const FindingRecord&) const = default;
};

struct Occurrence {
  Id finding_id = 0;
  Id run_id = 0;
  uint8_t phase = 0;
  uint64_t index = 0;
  std::string utc;
  bool confirmed = false;
  bool operator==(const Occurrence&) const = default;
};

struct StatusChange {
  Id finding_id = 0;
  std::string status, by, why, utc, expires;
  bool operator==(const StatusChange&) const = default;
};

// A fingerprint's status decided before (or whatever) it is seen again: a finding marked
// accepted-risk or false-positive, or a rule imported from a file. The latest row of a
// fingerprint decides; a row whose status is "open" lifts the ones before it.
struct Suppression {
  Id id = 0;
  std::string fingerprint;
  std::string status;           // accepted-risk, false-positive, or open (lifted)
  std::string by, why;
  std::string expires;          // YYYY-MM-DD, "" = never
  std::string utc;
  std::string source;           // "finding 7", "import suppressions.json", ...
  bool operator==(const Suppression&) const = default;
};

struct Artefact {
  Id id = 0;
  Id finding_id = 0;            // 0 when it belongs to the run only
  Id run_id = 0;
  std::string kind;             // pcap, reproducer, script, stderr, report
  std::string name;
  std::string sha256;
  std::vector<uint8_t> data;
  bool operator==(const Artefact&) const = default;
};

}  // namespace pc::store
