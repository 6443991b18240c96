// The CWE ids a finding's evidence points to (docs/scoring.md, "CWE"): the sanitizer's
// classification of a memory error, the kind of fault, and the rule the request broke.
#pragma once

#include <string>
#include <vector>

#include "core/score/evidence.hpp"

namespace pc::score {

struct CweChoice {
  std::vector<int> ids;  // most specific first
  std::string why;
};

CweChoice cwe_for(const Evidence& e);

// What a sanitizer report says of a memory error: its bug type ("heap-buffer-overflow",
// "stack-buffer-overflow", "heap-use-after-free", "SEGV", ...) and whether the access
// was a write. Empty type when the report names none.
struct SanitizerBug {
  std::string type;
  bool write = false;
  bool null_address = false;  // a SEGV on an address in the first page
};
SanitizerBug read_sanitizer_bug(const std::string& report);

// Printable runs in bytes that read like credentials or keys ("key", "pass", "secret",
// "token", "pwd", "user="): what makes a disclosure high confidentiality impact.
bool holds_secret_text(const std::vector<uint8_t>& bytes);

}  // namespace pc::score
