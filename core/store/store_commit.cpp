// Batch commits: everything of a batch in one transaction, statements prepared once.
#include "core/store/detail/sqlite_store.hpp"

namespace pc::store::detail {

// The id of the case's (message, field, class) key, 0 for a case without one.
Id SqliteStore::case_key(const CaseRecord& c) {
  if (c.message_type.empty() && c.field_path.empty() && c.mutation_class.empty()) return 0;
  std::string text;
  text.reserve(c.message_type.size() + c.field_path.size() + c.mutation_class.size() + 2);
  text.append(c.message_type).push_back('\x1f');
  text.append(c.field_path).push_back('\x1f');
  text.append(c.mutation_class);
  if (auto it = keys_.find(text); it != keys_.end()) return it->second;
  Id id = 0;
  {
    Cursor find(
        db_->prepared("SELECT id FROM case_keys WHERE message_type = ?1 AND field_path = ?2 AND "
                      "mutation_class = ?3"));
    find->bind_all(c.message_type, c.field_path, c.mutation_class);
    if (find.next()) id = find->int64(0);
  }
  if (id == 0) {
    Cursor add(
        db_->prepared("INSERT INTO case_keys (message_type, field_path, mutation_class) VALUES "
                      "(?1, ?2, ?3) RETURNING id"));
    add->bind_all(c.message_type, c.field_path, c.mutation_class);
    if (add.next()) id = add->int64(0);
  }
  keys_.emplace(std::move(text), id);
  return id;
}

// The id of an outcome name, 0 for none.
Id SqliteStore::outcome_name(const std::string& name) {
  if (name.empty()) return 0;
  if (auto it = names_.find(name); it != names_.end()) return it->second;
  Id id = 0;
  {
    Cursor find(db_->prepared("SELECT id FROM outcome_names WHERE name = ?1"));
    find->bind(1, name);
    if (find.next()) id = find->int64(0);
  }
  if (id == 0) {
    Cursor add(db_->prepared("INSERT INTO outcome_names (name) VALUES (?1) RETURNING id"));
    add->bind(1, name);
    if (add.next()) id = add->int64(0);
  }
  names_.emplace(name, id);
  return id;
}

void SqliteStore::write_batch(const Batch& b, Id run) {
  if (!b.cases.empty()) {
    auto& s = db_->prepared(
        "INSERT OR REPLACE INTO cases (run_id, phase, idx, outcome, signature, latency_us, flags, "
        "utc_ms, key_id, name_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    for (const CaseRecord& c : b.cases) {
      Id key = case_key(c);
      Id name = outcome_name(c.outcome_name);
      s.bind_all(run, c.phase, c.index, c.outcome, c.signature, c.latency_us, c.flags, c.utc_ms);
      s.bind_id(9, key).bind_id(10, name);
      s.run();
    }
  }
  if (!b.bytes.empty()) {
    auto& s = db_->prepared(
        "INSERT INTO case_bytes (run_id, phase, idx, step, sent, answer) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6) "
        "ON CONFLICT (run_id, phase, idx, step) DO UPDATE SET sent = excluded.sent, answer = "
        "excluded.answer");
    for (const CaseBytes& x : b.bytes) {
      s.bind_all(run, x.phase, x.index, x.step, x.sent, x.answer);
      s.run();
    }
  }
  if (!b.coverage.empty()) {
    auto& s = db_->prepared(
        "INSERT INTO coverage (run_id, message_type, field_path, mutation_class, outcome, count) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (run_id, message_type, field_path, "
        "mutation_class, outcome) "
        "DO UPDATE SET count = count + excluded.count");
    for (const CoverageDelta& d : b.coverage) {
      s.bind_all(run, d.message_type, d.field_path, d.mutation_class, d.outcome, d.count);
      s.run();
    }
  }
  if (!b.latency.empty()) {
    auto& s = db_->prepared(
        "INSERT INTO latency (run_id, t_ms, latency_us, kind) VALUES (?1, ?2, ?3, ?4)");
    for (const LatencySample& l : b.latency) {
      s.bind_all(run, l.t_ms, l.latency_us, l.kind);
      s.run();
    }
  }
  if (!b.corpus.empty()) {
    auto& s = db_->prepared(
        "INSERT OR REPLACE INTO corpus (run_id, entry, parent, recipe, bytes, signature) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const CorpusEntry& e : b.corpus) {
      s.bind_all(run, e.entry, e.parent, e.recipe, e.bytes, e.signature);
      s.run();
    }
  }
  if (!b.state.empty()) {
    auto& s =
        db_->prepared("INSERT OR REPLACE INTO run_state (run_id, key, blob) VALUES (?1, ?2, ?3)");
    for (const auto& [key, blob] : b.state) {
      s.bind_all(run, key, blob);
      s.run();
    }
  }
  // Every commit counts as a batch; without progress, the resume point stays (NULL at first).
  auto& p = db_->prepared(
      "INSERT INTO progress (run_id, phase, next_index, batches, utc) VALUES (?1, ?2, ?3, 1, ?4) "
      "ON CONFLICT (run_id) DO UPDATE SET batches = batches + 1, utc = excluded.utc, "
      "phase = iif(?5, excluded.phase, phase), next_index = iif(?5, excluded.next_index, "
      "next_index)");
  p.bind(1, run);
  if (b.progress) p.bind(2, b.progress->first).bind(3, b.progress->second);
  p.bind(4, now());
  p.bind(5, b.progress.has_value());
  p.run();
}

bool SqliteStore::try_commit(const Batch& b, Id run, std::string& error) {
  error.clear();
  if (b.empty()) return true;  // nothing to write is not a batch
  bool ok = guard("commit", [&] {
    try {
      Transaction tx(*db_);
      write_batch(b, run);
      tx.commit();
      return true;
    } catch (...) {
      // The rows behind the caches are gone with the transaction.
      keys_.clear();
      names_.clear();
      throw;
    }
  });
  error = ok ? std::string() : last_error();
  return ok;
}

void SqliteStore::commit(const Batch& b, Id run) {
  std::string error;
  try_commit(b, run, error);
}

}  // namespace pc::store::detail
