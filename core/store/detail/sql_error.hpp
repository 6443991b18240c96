// The one exception type of the store's internals: an SQLite call that failed, with the
// statement it ran and SQLite's own message. It never leaves the Store API (see
// docs/store.md, "Errors"): each public method catches it, reports it and returns an
// empty result.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace pc::store::detail {

class SqlError : public std::runtime_error {
 public:
  // "what failed: sqlite message (code N) in: SQL"
  SqlError(std::string_view what, std::string_view message, int code, std::string_view sql);
  int code() const { return code_; }

 private:
  int code_;
};

}  // namespace pc::store::detail
