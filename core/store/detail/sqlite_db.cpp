#include "core/store/detail/sqlite_db.hpp"

#include <sqlite3.h>

#include "core/store/detail/sql_error.hpp"

namespace pc::store::detail {

Db::Db(const std::string& path, bool create) : path_(path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqlError("open '" + path + "'", message, rc, "");
  }
  sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
  cache_.clear();  // statements first: a connection with live statements does not close
  sqlite3_close(db_);
}

void Db::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string m = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw SqlError("exec", m, rc, sql);
  }
}

Statement& Db::prepared(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  }
  return *it->second;
}

std::string Db::scalar_text(std::string_view sql) {
  Statement s(db_, sql);
  return s.step() ? s.text(0) : std::string();
}

int64_t Db::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int Db::changes() const {
  return sqlite3_changes(db_);
}

bool Db::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

}  // namespace pc::store::detail
