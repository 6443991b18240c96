// Suppressions: a fingerprint's status decided before it is seen again (accepted risk,
// false positive), until it expires or is lifted by a later row.
#include "core/store/detail/sqlite_store.hpp"

namespace pc::store::detail {
namespace {

constexpr const char* kColumns = "id, fingerprint, status, changed_by, why, expires, utc, source";

Suppression read_suppression(const Statement& s) {
  return Suppression{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7)};
}

}  // namespace

Id SqliteStore::add_suppression(const Suppression& in) {
  return guard("add_suppression", [&] {
    Cursor c(db_->prepared(
        "INSERT INTO suppressions (fingerprint, status, changed_by, why, expires, utc, source) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    c->bind_all(in.fingerprint, in.status, in.by, in.why, in.expires, in.utc.empty() ? now() : in.utc,
                in.source);
    return c.next() ? c->int64(0) : Id{0};
  });
}

std::vector<Suppression> SqliteStore::suppressions() {
  return guard("suppressions", [&] {
    std::vector<Suppression> out;
    Cursor c(db_->prepared(std::string("SELECT ") + kColumns + " FROM suppressions ORDER BY id"));
    while (c.next()) out.push_back(read_suppression(*c));
    return out;
  });
}

std::optional<Suppression> SqliteStore::active_suppression(const std::string& fingerprint,
                                                           const std::string& date) {
  return guard("active_suppression", [&]() -> std::optional<Suppression> {
    Cursor c(db_->prepared(std::string("SELECT ") + kColumns +
                           " FROM suppressions WHERE fingerprint = ?1 ORDER BY id DESC LIMIT 1"));
    c->bind(1, fingerprint);
    if (!c.next()) return std::nullopt;
    Suppression s = read_suppression(*c);
    if (s.status != "accepted-risk" && s.status != "false-positive") return std::nullopt;
    // an expiry date is the last day it holds
    if (!s.expires.empty() && date.substr(0, 10) > s.expires) return std::nullopt;
    return s;
  });
}

}  // namespace pc::store::detail
