// The Store on SQLite. Split by concern over store_*.cpp: opening and errors, targets and
// runs, batch commits, case data reads, findings, artefacts. Every public method runs
// under one mutex (a Store may be shared by threads) and inside guard(), which turns any
// internal exception into a reported error and an empty result.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "core/store/detail/sqlite_db.hpp"
#include "core/store/detail/transaction.hpp"
#include "core/store/store.hpp"

namespace pc::store::detail {

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Db> db, int version);

  int schema_version() const override { return version_; }
  std::string path() const override { return db_->path(); }
  std::string last_error() const override;
  uint64_t error_count() const override;
  void set_log(std::function<void(const std::string&)> sink) override;
  void set_clock(std::function<std::string()> utc_now) override;
  bool check(std::string& detail) override;

  Id upsert_target(const TargetRecord& t) override;
  std::optional<TargetRecord> target(Id id) override;
  void update_target_identity(Id id, const std::string& identity_json) override;
  Id begin_run(const RunRecord& r) override;
  void end_run(Id run, const std::string& status) override;
  std::optional<RunRecord> run(Id id) override;
  std::vector<RunRecord> runs() override;
  std::optional<RunRecord> resumable_run(const std::string& model_digest, Id target,
                                         uint64_t seed) override;
  void resume_run(Id run) override;

  void commit(const Batch& b, Id run) override;
  bool try_commit(const Batch& b, Id run, std::string& error) override;
  std::optional<std::pair<uint8_t, uint64_t>> resume_point(Id run) override;
  std::optional<std::vector<uint8_t>> state(Id run, const std::string& key) override;
  std::vector<CaseRecord> cases(Id run) override;
  std::optional<CaseBytes> case_bytes(Id run, uint8_t phase, uint64_t index,
                                      uint32_t step) override;
  std::vector<CorpusEntry> corpus(Id run) override;
  std::vector<CoverageDelta> coverage(Id run) override;
  std::vector<LatencySample> latency(Id run) override;

  Id record_finding(const FindingRecord& f, const Occurrence& first) override;
  std::optional<FindingRecord> finding(Id id) override;
  std::optional<FindingRecord> finding_by_fingerprint(const std::string& fp) override;
  std::vector<FindingRecord> findings(std::optional<Id> run) override;
  std::vector<Occurrence> occurrences(Id finding) override;
  void set_status(const StatusChange& c) override;
  std::vector<StatusChange> history(Id finding) override;
  void update_finding_details(Id finding, const std::string& details_json) override;
  void set_score(Id finding, const FindingRecord& scored) override;
  void set_score_override(Id finding, const std::string& override_json) override;
  Id add_suppression(const Suppression& s) override;
  std::vector<Suppression> suppressions() override;
  std::optional<Suppression> active_suppression(const std::string& fingerprint,
                                                const std::string& date) override;

  Id add_artefact(const Artefact& a) override;
  std::vector<Artefact> artefacts(Id finding) override;
  std::vector<Artefact> run_artefacts(Id run) override;
  std::optional<Artefact> artefact(Id id) override;

  void put_fact(Id run, const std::string& key, const std::string& json) override;
  std::optional<std::string> fact(Id run, const std::string& key) override;

 private:
  // Runs `body` under the lock; an exception becomes a report and `fallback`.
  template <class F, class R = std::invoke_result_t<F>>
  R guard(std::string_view what, F&& body, R fallback = R()) {
    std::lock_guard lock(mutex_);
    try {
      return body();
    } catch (const std::exception& e) {
      report(what, e.what());
    }
    return fallback;
  }
  template <class F>
  void guard_void(std::string_view what, F&& body) {
    guard(what, [&] {
      body();
      return true;
    });
  }
  void report(std::string_view what, std::string_view message);
  std::string now() const { return clock_(); }
  // Throws when the last UPDATE changed no row: `what` names what was missing.
  void require_change(const std::string& what) const;

  // Pieces shared by the methods of one file and another (callers hold the lock).
  void write_batch(const Batch& b, Id run);
  Id case_key(const CaseRecord& c);
  Id outcome_name(const std::string& name);
  void snapshot_target(Id run, Id target);
  std::optional<FindingRecord> finding_where(std::string_view where,
                                             const std::function<void(Statement&)>& bind);

  std::unique_ptr<Db> db_;
  int version_;
  mutable std::mutex mutex_;
  std::string last_error_;
  uint64_t errors_ = 0;
  std::function<void(const std::string&)> log_;
  std::function<std::string()> clock_;
  // Interned coverage keys and outcome names already written (both only grow; a rolled
  // back commit clears them, since its rows are gone).
  std::unordered_map<std::string, Id> keys_;
  std::unordered_map<std::string, Id> names_;
};

}  // namespace pc::store::detail
