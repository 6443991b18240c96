// Targets, runs and per-run facts.
#include <nlohmann/json.hpp>

#include "core/store/detail/sqlite_store.hpp"

namespace pc::store::detail {
namespace {

constexpr const char* kTargetColumns =
    "id, name, address, component_type, vendor, product, firmware, identity_json";
constexpr const char* kRunColumns =
    "id, target_id, model_name, model_digest, profile, seed, campaign_yaml, options_json, "
    "tool_version, "
    "started_utc, ended_utc, status, resumes";

TargetRecord read_target(const Statement& s) {
  TargetRecord t;
  t.id = s.int64(0);
  t.name = s.text(1);
  t.address = s.text(2);
  t.component_type = s.text(3);
  t.vendor = s.text(4);
  t.product = s.text(5);
  t.firmware = s.text(6);
  t.identity_json = s.text(7);
  return t;
}

RunRecord read_run(const Statement& s) {
  RunRecord r;
  r.id = s.int64(0);
  r.target_id = s.id(1);
  r.model_name = s.text(2);
  r.model_digest = s.text(3);
  r.profile = s.text(4);
  r.seed = s.uint64(5);
  r.campaign_yaml = s.text(6);
  r.options_json = s.text(7);
  r.tool_version = s.text(8);
  r.started_utc = s.text(9);
  r.ended_utc = s.text(10);
  r.status = s.text(11);
  r.resumes = static_cast<uint32_t>(s.int64(12));
  return r;
}

std::string target_json(const TargetRecord& t) {
  nlohmann::json j = {{"id", t.id},
                      {"name", t.name},
                      {"address", t.address},
                      {"component_type", t.component_type},
                      {"vendor", t.vendor},
                      {"product", t.product},
                      {"firmware", t.firmware},
                      {"identity_json", t.identity_json}};
  return j.dump();
}

}  // namespace

Id SqliteStore::upsert_target(const TargetRecord& t) {
  return guard("upsert_target", [&] {
    // A known target keeps what it had unless the new record says something.
    auto& s = db_->prepared(
        "INSERT INTO targets (name, address, component_type, vendor, product, firmware, "
        "identity_json) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name, address) DO UPDATE SET "
        "component_type = iif(excluded.component_type <> '', excluded.component_type, "
        "component_type), "
        "vendor = iif(excluded.vendor <> '', excluded.vendor, vendor), "
        "product = iif(excluded.product <> '', excluded.product, product), "
        "firmware = iif(excluded.firmware <> '', excluded.firmware, firmware), "
        "identity_json = iif(excluded.identity_json <> '', excluded.identity_json, identity_json) "
        "RETURNING id");
    Cursor c(s);
    c->bind_all(t.name, t.address, t.component_type, t.vendor, t.product, t.firmware,
                t.identity_json);
    return c.next() ? c->int64(0) : Id{0};
  });
}

std::optional<TargetRecord> SqliteStore::target(Id id) {
  return guard("target", [&]() -> std::optional<TargetRecord> {
    Cursor c(
        db_->prepared(std::string("SELECT ") + kTargetColumns + " FROM targets WHERE id = ?1"));
    c->bind(1, id);
    if (!c.next()) return std::nullopt;
    return read_target(*c);
  });
}

// The run's own copy of its target as it was (the target row changes with later runs:
// new firmware, new identity), kept as the fact "target".
void SqliteStore::snapshot_target(Id run, Id target_id) {
  Cursor c(db_->prepared(std::string("SELECT ") + kTargetColumns + " FROM targets WHERE id = ?1"));
  c->bind(1, target_id);
  if (!c.next()) return;
  auto& put = db_->prepared(
      "INSERT INTO facts (run_id, key, json) VALUES (?1, 'target', ?2) "
      "ON CONFLICT (run_id, key) DO UPDATE SET json = excluded.json");
  put.bind_all(run, target_json(read_target(*c)));
  put.run();
}

void SqliteStore::update_target_identity(Id id, const std::string& identity_json) {
  guard_void("update_target_identity", [&] {
    Transaction tx(*db_);
    auto& s = db_->prepared("UPDATE targets SET identity_json = ?2 WHERE id = ?1");
    s.bind_all(id, identity_json);
    s.run();
    require_change("target " + std::to_string(id));
    std::vector<Id> running;
    {
      Cursor c(db_->prepared("SELECT id FROM runs WHERE target_id = ?1 AND status = 'running'"));
      c->bind(1, id);
      while (c.next()) running.push_back(c->int64(0));
    }
    for (Id run : running) snapshot_target(run, id);
    tx.commit();
  });
}

Id SqliteStore::begin_run(const RunRecord& r) {
  return guard("begin_run", [&] {
    Transaction tx(*db_);
    Id id = 0;
    {
      Cursor c(
          db_->prepared("INSERT INTO runs (target_id, model_name, model_digest, profile, seed, "
                        "campaign_yaml, options_json, "
                        "tool_version, started_utc, ended_utc, status, resumes) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"));
      c->bind_id(1, r.target_id);
      c->bind(2, r.model_name).bind(3, r.model_digest).bind(4, r.profile).bind(5, r.seed);
      c->bind(6, r.campaign_yaml).bind(7, r.options_json).bind(8, r.tool_version);
      c->bind(9, r.started_utc.empty() ? now() : r.started_utc).bind(10, r.ended_utc);
      c->bind(11, r.status.empty() ? std::string("running") : r.status).bind(12, r.resumes);
      if (c.next()) id = c->int64(0);
    }
    if (r.target_id != 0) snapshot_target(id, r.target_id);
    tx.commit();
    return id;
  });
}

void SqliteStore::end_run(Id run, const std::string& status) {
  guard_void("end_run", [&] {
    auto& s = db_->prepared("UPDATE runs SET status = ?2, ended_utc = ?3 WHERE id = ?1");
    s.bind_all(run, status, now());
    s.run();
    require_change("run " + std::to_string(run));
  });
}

void SqliteStore::resume_run(Id run) {
  guard_void("resume_run", [&] {
    auto& s = db_->prepared(
        "UPDATE runs SET status = 'running', ended_utc = '', resumes = resumes + 1 WHERE id = ?1");
    s.bind(1, run);
    s.run();
    require_change("run " + std::to_string(run));
  });
}

std::optional<RunRecord> SqliteStore::run(Id id) {
  return guard("run", [&]() -> std::optional<RunRecord> {
    Cursor c(db_->prepared(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1"));
    c->bind(1, id);
    if (!c.next()) return std::nullopt;
    return read_run(*c);
  });
}

std::vector<RunRecord> SqliteStore::runs() {
  return guard("runs", [&] {
    std::vector<RunRecord> out;
    Cursor c(db_->prepared(std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id"));
    while (c.next()) out.push_back(read_run(*c));
    return out;
  });
}

std::optional<RunRecord> SqliteStore::resumable_run(const std::string& model_digest, Id target,
                                                    uint64_t seed) {
  return guard("resumable_run", [&]() -> std::optional<RunRecord> {
    // The latest such run only: after a completed one there is nothing to resume, even
    // if an older one was interrupted.
    Cursor c(db_->prepared(std::string("SELECT ") + kRunColumns +
                           " FROM runs WHERE model_digest = ?1 AND target_id IS ?2 AND seed = ?3 "
                           "ORDER BY id DESC LIMIT 1"));
    c->bind(1, model_digest).bind_id(2, target).bind(3, seed);
    if (!c.next()) return std::nullopt;
    RunRecord r = read_run(*c);
    if (r.status == "completed") return std::nullopt;
    return r;
  });
}

void SqliteStore::put_fact(Id run, const std::string& key, const std::string& json) {
  guard_void("put_fact", [&] {
    auto& s = db_->prepared(
        "INSERT INTO facts (run_id, key, json) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (run_id, key) DO UPDATE SET json = excluded.json");
    s.bind_all(run, key, json);
    s.run();
  });
}

std::optional<std::string> SqliteStore::fact(Id run, const std::string& key) {
  return guard("fact", [&]() -> std::optional<std::string> {
    Cursor c(db_->prepared("SELECT json FROM facts WHERE run_id = ?1 AND key = ?2"));
    c->bind_all(run, key);
    if (!c.next()) return std::nullopt;
    return c->text(0);
  });
}

}  // namespace pc::store::detail
