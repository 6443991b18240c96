// Secrets never appear in a report (docs/report.md, "Redaction"): bytes of fields the
// model marks `secret`, and printable runs that read as credentials or keys (what a
// memory disclosure typically leaks), are shown as "**" per byte. The raw bytes stay in
// the store and in the evidence package's confidential folder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model/model.hpp"

namespace pc::report {

class Redactor {
 public:
  void set_model(std::shared_ptr<const model::Model> m) { model_ = std::move(m); }
  // Lower-case hex of `bytes`, with "**" for each redacted byte; `redacted` is set when any was.
  std::string hex(const std::vector<uint8_t>& bytes, bool request, bool& redacted) const;
  // Text (a process report) with credential-like printable runs replaced by "[redacted]".
  std::string text(const std::string& s, bool& redacted) const;

 private:
  std::shared_ptr<const model::Model> model_;
};

std::vector<uint8_t> from_hex(const std::string& hex);

}  // namespace pc::report
