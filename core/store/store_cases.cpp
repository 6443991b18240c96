// Reading a run's case data back: resume point, state, cases, bytes, corpus, coverage.
#include <map>
#include <tuple>

#include "core/store/detail/sqlite_store.hpp"

namespace pc::store::detail {

std::optional<std::pair<uint8_t, uint64_t>> SqliteStore::resume_point(Id run) {
  return guard("resume_point", [&]() -> std::optional<std::pair<uint8_t, uint64_t>> {
    Cursor c(db_->prepared("SELECT phase, next_index FROM progress WHERE run_id = ?1"));
    c->bind(1, run);
    if (!c.next() || c->is_null(0)) return std::nullopt;
    return std::pair{static_cast<uint8_t>(c->int64(0)), c->uint64(1)};
  });
}

std::optional<std::vector<uint8_t>> SqliteStore::state(Id run, const std::string& key) {
  return guard("state", [&]() -> std::optional<std::vector<uint8_t>> {
    Cursor c(db_->prepared("SELECT blob FROM run_state WHERE run_id = ?1 AND key = ?2"));
    c->bind_all(run, key);
    if (!c.next()) return std::nullopt;
    return c->blob(0);
  });
}

std::vector<CaseRecord> SqliteStore::cases(Id run) {
  return guard("cases", [&] {
    std::vector<CaseRecord> out;
    Cursor c(db_->prepared(
        "SELECT c.phase, c.idx, c.outcome, c.signature, c.latency_us, c.flags, c.utc_ms, "
        "k.message_type, k.field_path, k.mutation_class, n.name "
        "FROM cases c LEFT JOIN case_keys k ON k.id = c.key_id "
        "LEFT JOIN outcome_names n ON n.id = c.name_id WHERE c.run_id = ?1 ORDER BY c.phase, "
        "c.idx"));
    c->bind(1, run);
    while (c.next()) {
      CaseRecord r;
      r.run_id = run;
      r.phase = static_cast<uint8_t>(c->int64(0));
      r.index = c->uint64(1);
      r.outcome = static_cast<uint8_t>(c->int64(2));
      r.signature = c->uint64(3);
      r.latency_us = static_cast<uint32_t>(c->int64(4));
      r.flags = static_cast<uint32_t>(c->int64(5));
      r.utc_ms = c->int64(6);
      r.message_type = c->text(7);
      r.field_path = c->text(8);
      r.mutation_class = c->text(9);
      r.outcome_name = c->text(10);
      out.push_back(std::move(r));
    }
    return out;
  });
}

std::optional<CaseBytes> SqliteStore::case_bytes(Id run, uint8_t phase, uint64_t index,
                                                 uint32_t step) {
  return guard("case_bytes", [&]() -> std::optional<CaseBytes> {
    Cursor c(
        db_->prepared("SELECT sent, answer FROM case_bytes WHERE run_id = ?1 AND phase = ?2 AND "
                      "idx = ?3 AND step = ?4"));
    c->bind_all(run, phase, index, step);
    if (!c.next()) return std::nullopt;
    return CaseBytes{run, phase, index, step, c->blob(0), c->blob(1)};
  });
}

std::vector<CorpusEntry> SqliteStore::corpus(Id run) {
  return guard("corpus", [&] {
    std::vector<CorpusEntry> out;
    Cursor c(
        db_->prepared("SELECT entry, parent, recipe, bytes, signature FROM corpus WHERE run_id = "
                      "?1 ORDER BY entry"));
    c->bind(1, run);
    while (c.next()) {
      out.push_back(
          CorpusEntry{run, c->uint64(0), c->int64(1), c->text(2), c->blob(3), c->uint64(4)});
    }
    return out;
  });
}

// Counted from the cases at read time, so a case committed twice (a resumed run) counts
// once; the explicit deltas of Batch::coverage are added on top.
std::vector<CoverageDelta> SqliteStore::coverage(Id run) {
  return guard("coverage", [&] {
    using Key = std::tuple<std::string, std::string, std::string, std::string>;
    std::map<Key, uint64_t> sums;
    ReadSnapshot snapshot(*db_);
    {
      Cursor c(
          db_->prepared("SELECT k.message_type, k.field_path, k.mutation_class, "
                        "coalesce(n.name, CAST(c.outcome AS TEXT)), count(*) "
                        "FROM cases c JOIN case_keys k ON k.id = c.key_id "
                        "LEFT JOIN outcome_names n ON n.id = c.name_id "
                        "WHERE c.run_id = ?1 GROUP BY c.key_id, c.name_id, c.outcome"));
      c->bind(1, run);
      while (c.next()) sums[Key{c->text(0), c->text(1), c->text(2), c->text(3)}] += c->uint64(4);
    }
    {
      Cursor c(
          db_->prepared("SELECT message_type, field_path, mutation_class, outcome, count FROM "
                        "coverage WHERE run_id = ?1"));
      c->bind(1, run);
      while (c.next()) sums[Key{c->text(0), c->text(1), c->text(2), c->text(3)}] += c->uint64(4);
    }
    std::vector<CoverageDelta> out;
    out.reserve(sums.size());
    for (auto& [key, count] : sums) {
      out.push_back(CoverageDelta{run, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                  std::get<3>(key), count});
    }
    return out;
  });
}

std::vector<LatencySample> SqliteStore::latency(Id run) {
  return guard("latency", [&] {
    std::vector<LatencySample> out;
    Cursor c(db_->prepared(
        "SELECT t_ms, latency_us, kind FROM latency WHERE run_id = ?1 ORDER BY t_ms, id"));
    c->bind(1, run);
    while (c.next()) {
      out.push_back(
          LatencySample{run, c->int64(0), static_cast<uint32_t>(c->int64(1)), c->text(2)});
    }
    return out;
  });
}

}  // namespace pc::store::detail
