// Result type of the capture module: a value or a CaptureError, never an exception.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace pc::capture {

/// Why a capture operation failed. `kind` lets a caller react (e.g. skip a live
/// capture when the process may not open the interface) without parsing text.
struct CaptureError {
  enum class Kind { io, format, unsupported, permission, invalid_argument };
  Kind kind = Kind::io;
  std::string message;
};

/// Either a value of type T or a CaptureError. Check `ok()` before `value()`.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  Result(CaptureError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const CaptureError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, CaptureError> state_;
};

/// Success-or-error of an operation without a value.
template <>
class Result<void> {
 public:
  Result() = default;
  Result(CaptureError error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  [[nodiscard]] bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const CaptureError& error() const { return error_; }

 private:
  CaptureError error_;
  bool failed_ = false;
};

inline CaptureError make_error(CaptureError::Kind kind, std::string message) {
  return CaptureError{kind, std::move(message)};
}

}  // namespace pc::capture
