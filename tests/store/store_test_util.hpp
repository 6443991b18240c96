// Helpers for the store tests: deterministic cases and batches, and a raw SQLite handle
// for looking under the Store API (pragmas, integrity checks, planting a failure).
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "core/store/store.hpp"

namespace pc::store::test {

inline std::unique_ptr<Store> open_store(const std::string& path) {
  std::string error;
  auto s = Store::open(path, error);
  EXPECT_NE(s, nullptr) << error;
  return s;
}

inline TargetRecord example_target() {
  return TargetRecord{0,       "plc-1", "tcp://127.0.0.1:1502",    "embedded device", "Acme",
                      "PLC-9", "1.0.3", R"({"VendorName":"Acme"})"};
}

inline RunRecord example_run(Id target, uint64_t seed = 42) {
  RunRecord r;
  r.target_id = target;
  r.model_name = "example";
  r.model_digest = "sha256:1111";
  r.profile = "ci";
  r.seed = seed;
  r.campaign_yaml = "profile: ci\n";
  r.options_json = R"({"batch":1000})";
  r.tool_version = "0.1.0";
  return r;
}

// Case `i` of the systematic phase: its key, outcome and signature follow from i alone,
// like a generator's case id.
inline CaseRecord make_case(uint64_t i) {
  static const char* const kMessages[] = {"read", "write", "diag"};
  static const char* const kFields[] = {"hdr.length", "pdu.address", "pdu.quantity", "pdu.count",
                                        "pdu.data"};
  static const char* const kClasses[] = {"boundary", "random", "truncate", "repeat"};
  static const char* const kOutcomes[] = {"answer", "exception", "silence", "close", "reset"};
  CaseRecord c;
  c.phase = 1;
  c.index = i;
  c.outcome = static_cast<uint8_t>((i * 7) % 5);
  c.signature = 0x9e3779b97f4a7c15ull * (i + 1);
  c.latency_us = static_cast<uint32_t>(500 + i % 1000);
  c.flags = i % 97 == 0 ? 1u : 0u;
  c.utc_ms = 1772359200000 + static_cast<int64_t>(i);
  c.message_type = kMessages[i % 3];
  c.field_path = kFields[i % 5];
  c.mutation_class = kClasses[(i / 5) % 4];
  c.outcome_name = kOutcomes[c.outcome];
  return c;
}

// Cases [first, first + count), the bytes of the first one, a corpus entry numbered by
// batch, the cursor state and the progress: a batch is consistent with itself, so a
// partly written one shows.
inline Batch make_batch(uint64_t first, uint64_t count) {
  Batch b;
  for (uint64_t i = first; i < first + count; ++i) b.cases.push_back(make_case(i));
  b.bytes.push_back(CaseBytes{
      0, 1, first, 0, {0x01, 0x03, static_cast<uint8_t>(first & 0xff)}, {0x01, 0x83, 0x02}});
  uint64_t entry = count == 0 ? first : first / count;
  b.corpus.push_back(CorpusEntry{0,
                                 entry,
                                 entry == 0 ? -1 : static_cast<int64_t>(entry - 1),
                                 "MS: 1 step",
                                 {static_cast<uint8_t>(entry & 0xff)},
                                 entry});
  std::string next = std::to_string(first + count);
  b.state.push_back({"cursor", std::vector<uint8_t>(next.begin(), next.end())});
  b.progress = std::pair<uint8_t, uint64_t>{1, first + count};
  return b;
}

// A plain SQLite connection on the same file.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK) << path;
    sqlite3_busy_timeout(db_, 10000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Runs statements; "" on success, else SQLite's message.
  std::string exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    std::string out = rc == SQLITE_OK ? "" : (message ? message : "error");
    sqlite3_free(message);
    return out;
  }
  // The first column of the first row as text ("" when there is none).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(s, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(s);
    return out;
  }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace pc::store::test
