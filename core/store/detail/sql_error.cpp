#include "core/store/detail/sql_error.hpp"

#include <fmt/format.h>

namespace pc::store::detail {

SqlError::SqlError(std::string_view what, std::string_view message, int code, std::string_view sql)
    : std::runtime_error(sql.empty()
                             ? fmt::format("{}: {} (code {})", what, message, code)
                             : fmt::format("{}: {} (code {}) in: {}", what, message, code, sql)),
      code_(code) {}

}  // namespace pc::store::detail
