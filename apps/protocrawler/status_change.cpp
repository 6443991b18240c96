#include "apps/protocrawler/status_change.hpp"

#include <fmt/core.h>

#include <cctype>

#include "core/store/utc.hpp"

namespace pc::cli {

bool valid_status(const std::string& s) {
  return s == "open" || s == "fixed" || s == "verified" || s == "accepted-risk" || s == "false-positive";
}

bool suppressing(const std::string& s) { return s == "accepted-risk" || s == "false-positive"; }

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  }
  int month = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::string change_status(store::Store& s, const store::FindingRecord& f, const std::string& status,
                          const std::string& by, const std::string& why, const std::string& expires) {
  if (!valid_status(status)) return fmt::format("'{}' is not a status ({})", status, kStatuses);
  if (by.empty()) return "say who decides (--by NAME)";
  if (why.empty()) return "say why (--why TEXT)";
  if (!expires.empty() && !valid_date(expires)) return fmt::format("--expires '{}' is not a date YYYY-MM-DD", expires);
  if (!expires.empty() && !suppressing(status)) return "--expires only goes with accepted-risk or false-positive";
  store::StatusChange c;
  c.finding_id = f.id;
  c.status = status;
  c.by = by;
  c.why = why;
  c.expires = expires;
  s.set_status(c);
  const std::string today = store::iso_utc_now().substr(0, 10);
  const bool was_suppressed = s.active_suppression(f.fingerprint, today).has_value();
  if (suppressing(status) || was_suppressed) {
    store::Suppression sup;
    sup.fingerprint = f.fingerprint;
    sup.status = suppressing(status) ? status : "open";  // "open" lifts the earlier rule
    sup.by = by;
    sup.why = why;
    sup.expires = expires;
    sup.source = fmt::format("finding {}", f.id);
    s.add_suppression(sup);
  }
  return s.error_count() ? s.last_error() : "";
}

}  // namespace pc::cli
