// The project store: one SQLite file that holds every target, run, case outcome, finding
// and artefact across campaigns. WAL mode, batched writes in transactions, a schema
// version with forward migrations. A campaign killed at any point resumes from the last
// committed batch (Store::resume_point) and re-runs what came after it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/store/records.hpp"

namespace pc::store {

// Everything one commit writes, in one transaction: the case outcomes of a batch, their
// bytes where something happened, coverage counters, latency samples, new corpus
// entries, the generator's feedback state, and how far the run has got.
struct Batch {
  std::vector<CaseRecord> cases;
  std::vector<CaseBytes> bytes;
  std::vector<CoverageDelta> coverage;
  std::vector<LatencySample> latency;
  std::vector<CorpusEntry> corpus;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> state;  // key -> blob, replaced
  std::optional<std::pair<uint8_t, uint64_t>> progress;               // (phase, next index)
  bool empty() const;
  void clear();
};

class Store {
 public:
  // Opens or creates the store at `path` (a file; a directory gets protocrawler.db in it),
  // migrating an older schema forward. nullptr and `error` on failure.
  static std::unique_ptr<Store> open(const std::string& path, std::string& error);
  virtual ~Store() = default;

  virtual int schema_version() const = 0;
  virtual std::string path() const = 0;
  static int latest_schema_version();  // the version this code creates and migrates to

  // Errors: nothing throws across this API. A method that fails reports the error (what
  // failed, SQLite's message, the SQL) to the log sink (stderr by default), remembers it
  // as last_error, and returns an empty result: 0 for an id, nullopt, an empty vector.
  virtual std::string last_error() const = 0;  // "" until something failed
  virtual uint64_t error_count() const = 0;
  virtual void set_log(std::function<void(const std::string&)> sink) = 0;
  // Where default timestamps come from (ISO 8601 UTC text); the system clock unless set.
  virtual void set_clock(std::function<std::string()> utc_now) = 0;
  // SQLite's integrity and foreign-key checks: true when clean, else what they found.
  virtual bool check(std::string& detail) = 0;

  // targets and runs
  virtual Id upsert_target(const TargetRecord& t) = 0;  // by name + address
  virtual std::optional<TargetRecord> target(Id id) = 0;
  virtual void update_target_identity(Id id, const std::string& identity_json) = 0;
  virtual Id begin_run(const RunRecord& r) = 0;
  virtual void end_run(Id run, const std::string& status) = 0;
  virtual std::optional<RunRecord> run(Id id) = 0;
  virtual std::vector<RunRecord> runs() = 0;
  // The latest run with this model, target and seed, if it did not complete (for --resume).
  virtual std::optional<RunRecord> resumable_run(const std::string& model_digest, Id target, uint64_t seed) = 0;
  // A run continues after an interruption: status back to "running", resumes + 1.
  virtual void resume_run(Id run) = 0;

  // batched case data. All of a batch is written in one transaction, or none of it.
  // Every record of the batch is written for `run` (their run_id fields are not read).
  // A case or corpus entry written again (a resumed run re-running cases) replaces the
  // earlier row; coverage deltas and latency samples add up.
  virtual void commit(const Batch& b, Id run) = 0;
  // commit that says whether it wrote the batch (all of it) or not (none of it, `error`).
  virtual bool try_commit(const Batch& b, Id run, std::string& error) = 0;
  virtual std::optional<std::pair<uint8_t, uint64_t>> resume_point(Id run) = 0;
  virtual std::optional<std::vector<uint8_t>> state(Id run, const std::string& key) = 0;
  virtual std::vector<CaseRecord> cases(Id run) = 0;
  virtual std::optional<CaseBytes> case_bytes(Id run, uint8_t phase, uint64_t index, uint32_t step) = 0;
  virtual std::vector<CorpusEntry> corpus(Id run) = 0;
  // Summed per key: the run's cases counted by (message, field, class, outcome name),
  // plus the Batch::coverage deltas committed for it. Ordered by key.
  virtual std::vector<CoverageDelta> coverage(Id run) = 0;
  virtual std::vector<LatencySample> latency(Id run) = 0;

  // findings: one per fingerprint across all runs; later runs add occurrences
  virtual Id record_finding(const FindingRecord& f, const Occurrence& first) = 0;
  virtual std::optional<FindingRecord> finding(Id id) = 0;
  virtual std::optional<FindingRecord> finding_by_fingerprint(const std::string& fp) = 0;
  virtual std::vector<FindingRecord> findings(std::optional<Id> run = std::nullopt) = 0;
  virtual std::vector<Occurrence> occurrences(Id finding) = 0;
  // A finding is created with one history entry (its first status, by "protocrawler");
  // set_status appends one (utc defaults to now) and sets the current status.
  virtual void set_status(const StatusChange& c) = 0;
  virtual std::vector<StatusChange> history(Id finding) = 0;
  virtual void update_finding_details(Id finding, const std::string& details_json) = 0;
  // The derived score (cvss_version, cvss_vector, cvss_score, cwe, requirements,
  // score_json of `scored`); the override is left as it is.
  virtual void set_score(Id finding, const FindingRecord& scored) = 0;
  // A user's score (JSON, see FindingRecord::score_override_json); "" removes it.
  virtual void set_score_override(Id finding, const std::string& override_json) = 0;

  // suppressions (docs/findings.md, "Remediation"): appended, never changed
  virtual Id add_suppression(const Suppression& s) = 0;
  virtual std::vector<Suppression> suppressions() = 0;
  // The suppression in force for a fingerprint on `date` (YYYY-MM-DD): the latest row, when
  // it is accepted-risk or false-positive and has not expired.
  virtual std::optional<Suppression> active_suppression(const std::string& fingerprint,
                                                        const std::string& date) = 0;

  // artefacts (pcaps, reproducers, stderr logs)
  // The SHA-256 is computed from the data (a given one is not trusted).
  virtual Id add_artefact(const Artefact& a) = 0;
  virtual std::vector<Artefact> artefacts(Id finding) = 0;
  // The artefacts of a run that belong to no finding (its model files).
  virtual std::vector<Artefact> run_artefacts(Id run) = 0;
  virtual std::optional<Artefact> artefact(Id id) = 0;

  // free-form per-run key/value facts (discovery results, baselines)
  virtual void put_fact(Id run, const std::string& key, const std::string& json) = 0;
  virtual std::optional<std::string> fact(Id run, const std::string& key) = 0;
};

}  // namespace pc::store
