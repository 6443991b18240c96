#include "core/store/migrations.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdlib>

#include "core/store/detail/sql_error.hpp"
#include "core/store/detail/sqlite_db.hpp"
#include "core/store/detail/transaction.hpp"

namespace pc::store {
namespace {

// Version 1: the first full schema. Ids that may be "none" (0 in the records) are NULL.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE targets (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  address        TEXT NOT NULL,
  component_type TEXT NOT NULL DEFAULT '',
  vendor         TEXT NOT NULL DEFAULT '',
  product        TEXT NOT NULL DEFAULT '',
  firmware       TEXT NOT NULL DEFAULT '',
  identity_json  TEXT NOT NULL DEFAULT '',
  UNIQUE (name, address)
) STRICT;

CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  target_id     INTEGER REFERENCES targets(id),
  model_name    TEXT NOT NULL,
  model_digest  TEXT NOT NULL,
  profile       TEXT NOT NULL,
  seed          INTEGER NOT NULL,
  campaign_yaml TEXT NOT NULL,
  options_json  TEXT NOT NULL,
  tool_version  TEXT NOT NULL,
  started_utc   TEXT NOT NULL,
  ended_utc     TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL,
  resumes       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX runs_by_campaign ON runs (model_digest, target_id, seed);

CREATE TABLE progress (
  run_id     INTEGER PRIMARY KEY REFERENCES runs(id),
  phase      INTEGER,
  next_index INTEGER,
  batches    INTEGER NOT NULL,
  utc        TEXT NOT NULL
) STRICT;

CREATE TABLE case_keys (
  id             INTEGER PRIMARY KEY,
  message_type   TEXT NOT NULL,
  field_path     TEXT NOT NULL,
  mutation_class TEXT NOT NULL,
  UNIQUE (message_type, field_path, mutation_class)
) STRICT;

CREATE TABLE outcome_names (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE cases (
  run_id     INTEGER NOT NULL REFERENCES runs(id),
  phase      INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  outcome    INTEGER NOT NULL,
  signature  INTEGER NOT NULL,
  latency_us INTEGER NOT NULL,
  flags      INTEGER NOT NULL,
  utc_ms     INTEGER NOT NULL,
  key_id     INTEGER REFERENCES case_keys(id),
  name_id    INTEGER REFERENCES outcome_names(id),
  PRIMARY KEY (run_id, phase, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE case_bytes (
  id     INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  phase  INTEGER NOT NULL,
  idx    INTEGER NOT NULL,
  step   INTEGER NOT NULL,
  sent   BLOB NOT NULL,
  answer BLOB NOT NULL,
  UNIQUE (run_id, phase, idx, step)
) STRICT;

CREATE TABLE coverage (
  run_id         INTEGER NOT NULL REFERENCES runs(id),
  message_type   TEXT NOT NULL,
  field_path     TEXT NOT NULL,
  mutation_class TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  count          INTEGER NOT NULL,
  PRIMARY KEY (run_id, message_type, field_path, mutation_class, outcome)
) STRICT, WITHOUT ROWID;

CREATE TABLE latency (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs(id),
  t_ms       INTEGER NOT NULL,
  latency_us INTEGER NOT NULL,
  kind       TEXT NOT NULL
) STRICT;
CREATE INDEX latency_by_run ON latency (run_id, t_ms);

CREATE TABLE corpus (
  run_id    INTEGER NOT NULL REFERENCES runs(id),
  entry     INTEGER NOT NULL,
  parent    INTEGER NOT NULL,
  recipe    TEXT NOT NULL,
  bytes     BLOB NOT NULL,
  signature INTEGER NOT NULL,
  PRIMARY KEY (run_id, entry)
) STRICT;

CREATE TABLE run_state (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  key    TEXT NOT NULL,
  blob   BLOB NOT NULL,
  PRIMARY KEY (run_id, key)
) STRICT;

CREATE TABLE facts (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  key    TEXT NOT NULL,
  json   TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) STRICT;

CREATE TABLE findings (
  id             INTEGER PRIMARY KEY,
  fingerprint    TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL,
  model          TEXT NOT NULL,
  message_type   TEXT NOT NULL,
  field_path     TEXT NOT NULL,
  mutation_class TEXT NOT NULL,
  reaction       TEXT NOT NULL,
  title          TEXT NOT NULL,
  status         TEXT NOT NULL,
  first_run      INTEGER REFERENCES runs(id),
  last_run       INTEGER REFERENCES runs(id),
  details_json   TEXT NOT NULL,
  created_utc    TEXT NOT NULL
) STRICT;

CREATE TABLE occurrences (
  id         INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  run_id     INTEGER REFERENCES runs(id),
  phase      INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  utc        TEXT NOT NULL,
  confirmed  INTEGER NOT NULL,
  UNIQUE (finding_id, run_id, phase, idx)
) STRICT;
CREATE INDEX occurrences_by_run ON occurrences (run_id);

CREATE TABLE status_history (
  id         INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  status     TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  why        TEXT NOT NULL,
  utc        TEXT NOT NULL,
  expires    TEXT NOT NULL
) STRICT;
CREATE INDEX status_history_by_finding ON status_history (finding_id, id);

CREATE TABLE artefacts (
  id         INTEGER PRIMARY KEY,
  finding_id INTEGER REFERENCES findings(id),
  run_id     INTEGER REFERENCES runs(id),
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  data       BLOB NOT NULL
) STRICT;
CREATE INDEX artefacts_by_finding ON artefacts (finding_id);
CREATE INDEX artefacts_by_run ON artefacts (run_id);
)sql";

// Version 2: what scoring and triage need. A finding's CVSS vector and score (NULL until
// scored), its CWE, and a user's override of the score; suppressions, which decide a
// fingerprint's status before it is seen (accepted risk, false positive), until they expire.
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE findings ADD COLUMN cvss_vector TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN cvss_score REAL;
ALTER TABLE findings ADD COLUMN cwe TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN score_override_json TEXT NOT NULL DEFAULT '';

CREATE TABLE suppressions (
  id          INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  status      TEXT NOT NULL,
  changed_by  TEXT NOT NULL,
  why         TEXT NOT NULL,
  expires     TEXT NOT NULL DEFAULT '',
  utc         TEXT NOT NULL
) STRICT;
CREATE INDEX suppressions_by_fingerprint ON suppressions (fingerprint, id);
)sql";

// Version 3: evidence. The CVSS version beside each vector (a 4.0 vector may follow), the
// score's reasons (each metric's why, the CWE's why) and the IEC 62443-4-2 requirements a
// finding bears on; suppressions that say where they came from (a finding's status
// change or an imported file).
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE findings ADD COLUMN cvss_version TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN score_json TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN requirements TEXT NOT NULL DEFAULT '';
ALTER TABLE suppressions ADD COLUMN source TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array kMigrations{
    Migration{1, "first full schema", kSchemaV1},
    Migration{2, "finding scores (CVSS vector and score, CWE, override) and suppressions",
              kSchemaV2},
    Migration{3, "CVSS version, score reasons and requirements of findings; suppression sources",
              kSchemaV3},
};

bool table_exists(detail::Db& db, const char* name) {
  auto s = db.statement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  s.bind(1, name);
  return s.step();
}

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations.back().version;
}

int read_schema_version(detail::Db& db) {
  if (!table_exists(db, "meta")) {
    if (!db.scalar_text("SELECT name FROM sqlite_schema LIMIT 1").empty()) {
      throw detail::SqlError(
          "open '" + db.path() + "'",
          "this SQLite database is not a ProtoCrawler store (it has no meta table)", 0, "");
    }
    return 0;
  }
  auto s = db.statement("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!s.step()) {
    throw detail::SqlError("open '" + db.path() + "'",
                           "the store's meta table has no schema_version", 0, "");
  }
  std::string text = s.text(0);
  char* end = nullptr;
  long version = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || version < 1) {
    throw detail::SqlError(
        "open '" + db.path() + "'",
        fmt::format("the store's schema_version '{}' is not a version number", text), 0, "");
  }
  return static_cast<int>(version);
}

int migrate(detail::Db& db, int target) {
  const int latest = latest_schema_version();
  if (target <= 0 || target > latest) target = latest;
  int version = read_schema_version(db);
  if (version > latest) {
    throw detail::SqlError(
        "open '" + db.path() + "'",
        fmt::format("the store has schema version {}, newer than this ProtoCrawler knows "
                    "({}); open it with a newer protocrawler",
                    version, latest),
        0, "");
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= version || m.version > target) continue;
    detail::Transaction tx(db);
    // Another process may have migrated while we waited for the write lock.
    int now = read_schema_version(db);
    if (now >= m.version) {
      version = now;
      continue;
    }
    db.exec(m.sql);
    auto bump = db.statement(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    bump.bind(1, std::to_string(m.version));
    bump.run();
    if (!db.scalar_text("PRAGMA foreign_key_check").empty()) {
      throw detail::SqlError("migration to schema version " + std::to_string(m.version),
                             "it leaves rows that break a foreign key", 0,
                             "PRAGMA foreign_key_check");
    }
    tx.commit();
    db.clear_cache();
    version = m.version;
  }
  return version;
}

}  // namespace pc::store
