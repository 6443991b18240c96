// Findings (one per fingerprint), their occurrences and their status history.
#include "core/store/detail/sqlite_store.hpp"

namespace pc::store::detail {
namespace {

constexpr const char* kFindingColumns =
    "f.id, f.fingerprint, f.kind, f.model, f.message_type, f.field_path, f.mutation_class, "
    "f.reaction, "
    "f.title, f.status, f.first_run, f.last_run, f.details_json, f.created_utc, "
    "f.cvss_version, f.cvss_vector, f.cvss_score, f.cwe, f.requirements, f.score_json, "
    "f.score_override_json";

FindingRecord read_finding(const Statement& s) {
  FindingRecord f;
  f.id = s.int64(0);
  f.fingerprint = s.text(1);
  f.kind = s.text(2);
  f.model = s.text(3);
  f.message_type = s.text(4);
  f.field_path = s.text(5);
  f.mutation_class = s.text(6);
  f.reaction = s.text(7);
  f.title = s.text(8);
  f.status = s.text(9);
  f.first_run = s.id(10);
  f.last_run = s.id(11);
  f.details_json = s.text(12);
  f.created_utc = s.text(13);
  f.cvss_version = s.text(14);
  f.cvss_vector = s.text(15);
  if (!s.is_null(16)) f.cvss_score = s.real(16);
  f.cwe = s.text(17);
  f.requirements = s.text(18);
  f.score_json = s.text(19);
  f.score_override_json = s.text(20);
  return f;
}

}  // namespace

Id SqliteStore::record_finding(const FindingRecord& f, const Occurrence& first) {
  return guard("record_finding", [&] {
    Transaction tx(*db_);
    const std::string utc = first.utc.empty() ? now() : first.utc;
    Id id = 0;
    {
      Cursor c(db_->prepared("SELECT id FROM findings WHERE fingerprint = ?1"));
      c->bind(1, f.fingerprint);
      if (c.next()) id = c->int64(0);
    }
    if (id == 0) {
      const std::string status = f.status.empty() ? std::string("open") : f.status;
      const std::string created = f.created_utc.empty() ? utc : f.created_utc;
      {
        Cursor c(db_->prepared(
            "INSERT INTO findings (fingerprint, kind, model, message_type, field_path, "
            "mutation_class, reaction, "
            "title, status, first_run, last_run, details_json, created_utc, cvss_version, "
            "cvss_vector, cvss_score, cwe, requirements, score_json, score_override_json) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
            "?17, ?18, ?19) RETURNING id"));
        c->bind_all(f.fingerprint, f.kind, f.model, f.message_type, f.field_path, f.mutation_class,
                    f.reaction, f.title, status);
        c->bind_id(10, first.run_id).bind(11, f.details_json).bind(12, created);
        c->bind(13, f.cvss_version).bind(14, f.cvss_vector).bind(15, f.cvss_score);
        c->bind(16, f.cwe).bind(17, f.requirements).bind(18, f.score_json);
        c->bind(19, f.score_override_json);
        if (c.next()) id = c->int64(0);
      }
      auto& h = db_->prepared(
          "INSERT INTO status_history (finding_id, status, changed_by, why, utc, expires) "
          "VALUES (?1, ?2, 'protocrawler', ?3, ?4, '')");
      h.bind_all(id, status,
                 first.run_id != 0 ? "first seen in run " + std::to_string(first.run_id)
                                   : std::string("first seen"),
                 created);
      h.run();
    } else if (first.run_id != 0) {
      // Run ids grow with time; a resumed older run does not move last_run back.
      auto& u = db_->prepared(
          "UPDATE findings SET last_run = iif(last_run IS NULL OR last_run < ?2, ?2, last_run) "
          "WHERE id = ?1");
      u.bind_all(id, first.run_id);
      u.run();
    }
    // The same case seen again (a resumed run re-running it) is one occurrence.
    auto& o = db_->prepared(
        "INSERT INTO occurrences (finding_id, run_id, phase, idx, utc, confirmed) VALUES (?1, ?2, "
        "?3, ?4, ?5, ?6) "
        "ON CONFLICT (finding_id, run_id, phase, idx) DO UPDATE SET confirmed = max(confirmed, "
        "excluded.confirmed)");
    o.bind(1, id).bind_id(2, first.run_id).bind(3, first.phase).bind(4, first.index).bind(5, utc);
    o.bind(6, first.confirmed);
    o.run();
    tx.commit();
    return id;
  });
}

std::optional<FindingRecord> SqliteStore::finding_where(
    std::string_view where, const std::function<void(Statement&)>& bind) {
  Cursor c(db_->prepared(std::string("SELECT ") + kFindingColumns + " FROM findings f WHERE " +
                         std::string(where)));
  bind(*c);
  if (!c.next()) return std::nullopt;
  return read_finding(*c);
}

std::optional<FindingRecord> SqliteStore::finding(Id id) {
  return guard("finding",
               [&] { return finding_where("f.id = ?1", [&](Statement& s) { s.bind(1, id); }); });
}

std::optional<FindingRecord> SqliteStore::finding_by_fingerprint(const std::string& fp) {
  return guard("finding_by_fingerprint", [&] {
    return finding_where("f.fingerprint = ?1", [&](Statement& s) { s.bind(1, fp); });
  });
}

std::vector<FindingRecord> SqliteStore::findings(std::optional<Id> run) {
  return guard("findings", [&] {
    std::vector<FindingRecord> out;
    std::string sql = std::string("SELECT ") + kFindingColumns + " FROM findings f";
    if (run) sql += " WHERE f.id IN (SELECT finding_id FROM occurrences WHERE run_id = ?1)";
    sql += " ORDER BY f.id";
    Cursor c(db_->prepared(sql));
    if (run) c->bind(1, *run);
    while (c.next()) out.push_back(read_finding(*c));
    return out;
  });
}

std::vector<Occurrence> SqliteStore::occurrences(Id finding) {
  return guard("occurrences", [&] {
    std::vector<Occurrence> out;
    Cursor c(
        db_->prepared("SELECT run_id, phase, idx, utc, confirmed FROM occurrences WHERE finding_id "
                      "= ?1 ORDER BY id"));
    c->bind(1, finding);
    while (c.next()) {
      out.push_back(Occurrence{finding, c->id(0), static_cast<uint8_t>(c->int64(1)), c->uint64(2),
                               c->text(3), c->int64(4) != 0});
    }
    return out;
  });
}

void SqliteStore::set_status(const StatusChange& change) {
  guard_void("set_status", [&] {
    Transaction tx(*db_);
    auto& h = db_->prepared(
        "INSERT INTO status_history (finding_id, status, changed_by, why, utc, expires) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    h.bind_all(change.finding_id, change.status, change.by, change.why,
               change.utc.empty() ? now() : change.utc, change.expires);
    h.run();
    auto& u = db_->prepared("UPDATE findings SET status = ?2 WHERE id = ?1");
    u.bind_all(change.finding_id, change.status);
    u.run();
    require_change("finding " + std::to_string(change.finding_id));
    tx.commit();
  });
}

std::vector<StatusChange> SqliteStore::history(Id finding) {
  return guard("history", [&] {
    std::vector<StatusChange> out;
    Cursor c(
        db_->prepared("SELECT status, changed_by, why, utc, expires FROM status_history WHERE "
                      "finding_id = ?1 ORDER BY id"));
    c->bind(1, finding);
    while (c.next())
      out.push_back(
          StatusChange{finding, c->text(0), c->text(1), c->text(2), c->text(3), c->text(4)});
    return out;
  });
}

void SqliteStore::update_finding_details(Id finding, const std::string& details_json) {
  guard_void("update_finding_details", [&] {
    auto& s = db_->prepared("UPDATE findings SET details_json = ?2 WHERE id = ?1");
    s.bind_all(finding, details_json);
    s.run();
    require_change("finding " + std::to_string(finding));
  });
}

void SqliteStore::set_score(Id finding, const FindingRecord& f) {
  guard_void("set_score", [&] {
    auto& s = db_->prepared(
        "UPDATE findings SET cvss_version = ?2, cvss_vector = ?3, cvss_score = ?4, cwe = ?5, "
        "requirements = ?6, score_json = ?7 WHERE id = ?1");
    s.bind(1, finding).bind(2, f.cvss_version).bind(3, f.cvss_vector).bind(4, f.cvss_score);
    s.bind(5, f.cwe).bind(6, f.requirements).bind(7, f.score_json);
    s.run();
    require_change("finding " + std::to_string(finding));
  });
}

void SqliteStore::set_score_override(Id finding, const std::string& override_json) {
  guard_void("set_score_override", [&] {
    auto& s = db_->prepared("UPDATE findings SET score_override_json = ?2 WHERE id = ?1");
    s.bind_all(finding, override_json);
    s.run();
    require_change("finding " + std::to_string(finding));
  });
}

}  // namespace pc::store::detail
