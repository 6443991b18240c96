// Transactions on a Db (RAII): one to write, one to read a consistent snapshot.
#pragma once

#include "core/store/detail/sqlite_db.hpp"

namespace pc::store::detail {

// BEGIN IMMEDIATE on construction (takes the write lock at once, waiting up to the busy
// timeout, so no transaction fails half-way on a lock upgrade); ROLLBACK on destruction
// unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

// A read transaction (BEGIN DEFERRED): the statements run in its scope see one snapshot
// of the store, however many commits another process makes meanwhile.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Db& db);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Db& db_;
};

}  // namespace pc::store::detail
