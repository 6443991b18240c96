// A prepared SQLite statement (RAII): bind by position from 1, step, read columns from 0.
// Every failure throws SqlError naming the statement's SQL. Integers of any width are
// stored as SQLite's int64 (uint64 values keep their bits, C++20 modular conversion).
// An empty blob is bound as a zero-length blob, never as NULL.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace pc::store::detail {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  template <std::integral T>
  Statement& bind(int index, T value) {
    return bind_int64(index, static_cast<int64_t>(value));
  }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, std::span<const uint8_t> blob);
  Statement& bind(int index, const std::vector<uint8_t>& blob) {
    return bind(index, std::span<const uint8_t>(blob));
  }
  Statement& bind(int index, std::nullptr_t);
  // An id column where 0 means "none": binds NULL for 0.
  Statement& bind_id(int index, int64_t id);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, nullptr);
  }

  // Binds every argument in order, from position 1.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // true: a row is ready to read; false: the statement is done.
  bool step();
  // Steps a statement that returns no rows, then resets it.
  void run();
  // Ready for another execution; bindings are cleared.
  void reset();

  bool is_null(int column) const;
  int64_t int64(int column) const;
  uint64_t uint64(int column) const { return static_cast<uint64_t>(int64(column)); }
  double real(int column) const;
  std::string text(int column) const;
  std::vector<uint8_t> blob(int column) const;
  // An id column where NULL means "none": 0 for NULL.
  int64_t id(int column) const { return is_null(column) ? 0 : int64(column); }

  const std::string& sql() const { return sql_; }

 private:
  Statement& bind_int64(int index, int64_t value);
  void check_bind(int rc, int index);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// Resets a statement when the scope ends, so a half-read query holds no read lock.
class Cursor {
 public:
  explicit Cursor(Statement& s) : s_(&s) {}
  ~Cursor() { s_->reset(); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  Statement* operator->() const { return s_; }
  Statement& operator*() const { return *s_; }
  bool next() { return s_->step(); }

 private:
  Statement* s_;
};

}  // namespace pc::store::detail
