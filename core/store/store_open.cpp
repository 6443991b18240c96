// Opening a store (path rules, pragmas, migrations) and the error and clock plumbing.
#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "core/store/detail/sql_error.hpp"
#include "core/store/detail/sqlite_store.hpp"
#include "core/store/migrations.hpp"
#include "core/store/utc.hpp"

namespace pc::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultFile = "protocrawler.db";
constexpr int kBusyTimeoutMs = 10000;

// The file to open for `path`, or "" and `error`.
std::string resolve(const std::string& path, std::string& error) {
  if (path.empty()) {
    error = "no store path given";
    return {};
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) return (fs::path(path) / kDefaultFile).string();
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return path;
  if (!fs::exists(parent, ec)) {
    error = fmt::format("cannot create store '{}': directory '{}' does not exist", path,
                        parent.string());
    return {};
  }
  if (!fs::is_directory(parent, ec)) {
    error = fmt::format("cannot create store '{}': '{}' is not a directory", path, parent.string());
    return {};
  }
  return path;
}

void configure(detail::Db& db) {
  db.exec(fmt::format("PRAGMA busy_timeout = {}", kBusyTimeoutMs));
  std::string mode = db.scalar_text("PRAGMA journal_mode = WAL");
  if (mode != "wal") {
    throw detail::SqlError("open '" + db.path() + "'",
                           fmt::format("the store needs WAL journal mode, SQLite kept '{}'", mode),
                           0, "PRAGMA journal_mode = WAL");
  }
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  if (db.scalar_text("PRAGMA foreign_keys") != "1") {
    throw detail::SqlError("open '" + db.path() + "'", "SQLite refused to enforce foreign keys", 0,
                           "PRAGMA foreign_keys = ON");
  }
}

}  // namespace

std::unique_ptr<Store> Store::open(const std::string& path, std::string& error) {
  std::string file = resolve(path, error);
  if (file.empty()) return nullptr;
  try {
    auto db = std::make_unique<detail::Db>(file, true);
    configure(*db);
    int version = migrate(*db);
    return std::make_unique<detail::SqliteStore>(std::move(db), version);
  } catch (const std::exception& e) {
    error = fmt::format("store '{}': {}", file, e.what());
  }
  return nullptr;
}

int Store::latest_schema_version() {
  return pc::store::latest_schema_version();
}

namespace detail {

SqliteStore::SqliteStore(std::unique_ptr<Db> db, int version)
    : db_(std::move(db)),
      version_(version),
      log_([](const std::string& m) { fmt::print(stderr, "protocrawler: {}\n", m); }),
      clock_(iso_utc_now) {}

void SqliteStore::report(std::string_view what, std::string_view message) {
  last_error_ = fmt::format("store {}: {}", what, message);
  ++errors_;
  if (log_) log_(last_error_);
}

void SqliteStore::require_change(const std::string& what) const {
  if (db_->changes() == 0) throw SqlError("update", "no such " + what, 0, "");
}

std::string SqliteStore::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

uint64_t SqliteStore::error_count() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

void SqliteStore::set_log(std::function<void(const std::string&)> sink) {
  std::lock_guard lock(mutex_);
  log_ = std::move(sink);
}

void SqliteStore::set_clock(std::function<std::string()> utc_now) {
  std::lock_guard lock(mutex_);
  clock_ = utc_now ? std::move(utc_now) : std::function<std::string()>(iso_utc_now);
}

bool SqliteStore::check(std::string& detail) {
  detail.clear();
  bool ok = guard("check", [&] {
    std::string problems;
    auto integrity = db_->statement("PRAGMA integrity_check");
    while (integrity.step()) {
      std::string line = integrity.text(0);
      if (line != "ok") problems += line + "\n";
    }
    auto keys = db_->statement("PRAGMA foreign_key_check");
    while (keys.step()) {
      problems += fmt::format("foreign key: table {} rowid {} refers to a missing {} row\n",
                              keys.text(0), keys.int64(1), keys.text(2));
    }
    detail = problems;
    return problems.empty();
  });
  if (!ok && detail.empty()) detail = last_error();
  return ok;
}

}  // namespace detail
}  // namespace pc::store
