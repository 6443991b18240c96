// Artefacts: pcaps, reproducers, logs, kept as BLOBs with their SHA-256.
#include "core/store/detail/sqlite_store.hpp"
#include "core/store/sha256.hpp"

namespace pc::store::detail {
namespace {

constexpr const char* kArtefactColumns = "id, finding_id, run_id, kind, name, sha256, data";

Artefact read_artefact(const Statement& s) {
  return Artefact{s.int64(0), s.id(1), s.id(2), s.text(3), s.text(4), s.text(5), s.blob(6)};
}

}  // namespace

Id SqliteStore::add_artefact(const Artefact& a) {
  return guard("add_artefact", [&] {
    Cursor c(
        db_->prepared("INSERT INTO artefacts (finding_id, run_id, kind, name, sha256, size, data) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    c->bind_id(1, a.finding_id).bind_id(2, a.run_id);
    c->bind(3, a.kind)
        .bind(4, a.name)
        .bind(5, sha256_hex(a.data))
        .bind(6, a.data.size())
        .bind(7, a.data);
    return c.next() ? c->int64(0) : Id{0};
  });
}

std::vector<Artefact> SqliteStore::artefacts(Id finding) {
  return guard("artefacts", [&] {
    std::vector<Artefact> out;
    Cursor c(db_->prepared(std::string("SELECT ") + kArtefactColumns +
                           " FROM artefacts WHERE finding_id = ?1 ORDER BY id"));
    c->bind(1, finding);
    while (c.next()) out.push_back(read_artefact(*c));
    return out;
  });
}

std::vector<Artefact> SqliteStore::run_artefacts(Id run) {
  return guard("run_artefacts", [&] {
    std::vector<Artefact> out;
    Cursor c(db_->prepared(std::string("SELECT ") + kArtefactColumns +
                           " FROM artefacts WHERE run_id = ?1 AND finding_id IS NULL ORDER BY id"));
    c->bind(1, run);
    while (c.next()) out.push_back(read_artefact(*c));
    return out;
  });
}

std::optional<Artefact> SqliteStore::artefact(Id id) {
  return guard("artefact", [&]() -> std::optional<Artefact> {
    Cursor c(
        db_->prepared(std::string("SELECT ") + kArtefactColumns + " FROM artefacts WHERE id = ?1"));
    c->bind(1, id);
    if (!c.next()) return std::nullopt;
    return read_artefact(*c);
  });
}

}  // namespace pc::store::detail
