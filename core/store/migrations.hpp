// The store's schema as an ordered list of forward migrations. Migration N turns a store
// at schema version N-1 into version N; a new store runs them all, an old one the ones it
// lacks. Each runs in its own transaction together with the version bump, so a store is
// always at exactly one known version. To change the schema, append a migration (never
// edit a shipped one) and see docs/store.md, "Migrations".
#pragma once

#include <span>
#include <string>

namespace pc::store {

namespace detail {
class Db;
}

struct Migration {
  int version;          // the schema version this step produces
  const char* summary;  // one line, for logs and docs
  const char* sql;      // statements, run with the foreign-key pragma on
};

// Every migration, in order; the last one's version is the code's schema version.
std::span<const Migration> migrations();
int latest_schema_version();

// The store's version: 0 for an empty database. Throws SqlError with a clear message for
// a database that is not a ProtoCrawler store.
int read_schema_version(detail::Db& db);

// Brings `db` to `target` (default: latest). Throws SqlError when the store is newer than
// the code, or a step fails (that step is rolled back; earlier ones stay).
int migrate(detail::Db& db, int target = 0);

}  // namespace pc::store
