#include "core/store/detail/transaction.hpp"

namespace pc::store::detail {

Transaction::Transaction(Db& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (done_ || !db_.in_transaction()) return;
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
    // Nothing to do: a failed rollback leaves the transaction to SQLite, which rolls it
    // back when the connection closes; the error that brought us here is reported.
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

ReadSnapshot::ReadSnapshot(Db& db) : db_(db) {
  db_.exec("BEGIN DEFERRED");
}

ReadSnapshot::~ReadSnapshot() {
  try {
    if (db_.in_transaction()) db_.exec("COMMIT");
  } catch (...) {
    // A read transaction has nothing to lose; SQLite ends it with the connection.
  }
}

}  // namespace pc::store::detail
