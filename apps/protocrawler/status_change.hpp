// Changing a finding's remediation status, as `finding status` and `retest` do: the dated,
// attributed history entry, and the suppression that an accepted-risk or false-positive
// status puts on the fingerprint (or lifts when the status goes back).
#pragma once

#include <string>

#include "core/store/store.hpp"

namespace pc::cli {

inline constexpr const char* kStatuses = "open, fixed, verified, accepted-risk, false-positive";
bool valid_status(const std::string& status);
bool suppressing(const std::string& status);  // accepted-risk, false-positive
// YYYY-MM-DD with a plausible month and day.
bool valid_date(const std::string& date);

// Records the change; returns "" or why it was refused (unknown status, bad date, ...).
std::string change_status(store::Store& s, const store::FindingRecord& f, const std::string& status,
                          const std::string& by, const std::string& why, const std::string& expires);

}  // namespace pc::cli
