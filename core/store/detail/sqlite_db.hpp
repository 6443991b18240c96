// An open SQLite database (RAII) with a cache of prepared statements, so the statements a
// batch commit runs thousands of times are prepared once per connection.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/store/detail/sqlite_statement.hpp"

namespace pc::store::detail {

class Db {
 public:
  // Opens (creating if asked) the file; throws SqlError naming the path on failure.
  Db(const std::string& path, bool create);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return nothing.
  void exec(std::string_view sql);
  // A prepared statement, from the cache; reset and unbound, ready to bind.
  Statement& prepared(std::string_view sql);
  // A one-off statement (not cached), e.g. for pragmas and migrations.
  Statement statement(std::string_view sql) { return Statement(db_, sql); }
  // The first column of the first row of `sql`, as text ("" when there is no row).
  std::string scalar_text(std::string_view sql);

  int64_t last_insert_rowid() const;
  int changes() const;
  bool in_transaction() const;
  // Drops every cached statement (after a schema change made by this connection).
  void clear_cache() { cache_.clear(); }
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

}  // namespace pc::store::detail
