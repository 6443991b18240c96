// Checks every protocol model test makes: captures decode and re-encode byte for byte,
// every message type builds and decodes back, emitted messages dissect cleanly in
// tshark, and tshark's field values can be read per frame for comparison.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "core/capture/pcap_reader.hpp"
#include "core/capture/pcap_writer.hpp"
#include "core/capture/tcp_conversation.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "core/model/printer.hpp"
#include "tests/support/run.hpp"

namespace pc::protocols {

inline std::shared_ptr<const model::Model> load_model(const std::string& file) {
  auto r = model::load_model_file(std::string(PC_MODELS_DIR) + "/" + file);
  if (auto* e = std::get_if<model::LoadError>(&r)) {
    ADD_FAILURE() << e->text();
    return nullptr;
  }
  return std::get<std::shared_ptr<const model::Model>>(r);
}

// The model in models/<file>, loaded once per test program.
inline std::shared_ptr<const model::Model> cached_model(const std::string& file) {
  static std::map<std::string, std::shared_ptr<const model::Model>> cache;
  auto it = cache.find(file);
  if (it == cache.end()) it = cache.emplace(file, load_model(file)).first;
  return it->second;
}

inline std::string capture_path(const std::string& protocol_dir, const std::string& file) {
  return std::string(PC_SHARED_DIR) + "/captures/" + protocol_dir + "/" + file;
}

inline dissect::Dissection dissect_file(const model::Model& m, const std::string& path,
                                        uint16_t port = 0) {
  auto cap = capture::read_capture(path);
  EXPECT_TRUE(cap.ok()) << path;
  if (!cap.ok()) return {};
  return dissect::dissect(m, cap.value(), {.server_port = port});
}

inline bool has_issue(const model::Message& m, const std::string& id) {
  for (const auto& i : m.issues) {
    if (m.model().rules[i.rule].id == id) return true;
  }
  return false;
}

// Every message resolves to a named type, re-encodes to its bytes, and holds no raw
// value (bytes kept verbatim because a field could not hold them).
inline void expect_lossless(const dissect::Dissection& d,
                            const std::set<uint64_t>& unresolved_frames = {}) {
  for (const auto& m : d.messages) {
    if (!unresolved_frames.count(m.frame)) {
      EXPECT_TRUE(m.message.resolved()) << "frame " << m.frame << "\n"
                                        << model::format_tree(m.message);
    }
    model::Message copy = m.message;
    EXPECT_EQ(model::encode(copy), m.bytes) << "frame " << m.frame << "\n"
                                            << model::format_tree(m.message);
    for (uint32_t v = 0; v < m.message.values.size(); ++v) {
      if (m.message.field(v) && (m.message.values[v].flags & model::kRaw)) {
        ADD_FAILURE() << "raw value " << m.message.path(v) << " in frame " << m.frame;
      }
    }
  }
}

// Every captured message with one octet changed (each position, a fixed xorshift
// sequence of values) still decodes without a crash and re-encodes to its bytes.
inline void expect_mutants_lossless(const dissect::Dissection& d, size_t max_positions = 64) {
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (const auto& m : d.messages) {
    const size_t n = std::min(m.bytes.size(), max_positions);
    for (size_t i = 0; i < n; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      std::vector<uint8_t> b = m.bytes;
      b[i] ^= static_cast<uint8_t>(x | 1);
      model::Message back = model::decode(m.message.model(), m.direction, b);
      ASSERT_EQ(model::encode(back), b) << "frame " << m.frame << ", octet " << i << "\n"
                                        << model::format_tree(back);
    }
  }
}

// rule id -> frames of the messages that break it
inline std::map<std::string, std::vector<uint64_t>> broken_rules(const dissect::Dissection& d) {
  std::map<std::string, std::vector<uint64_t>> out;
  for (const auto& m : d.messages) {
    std::set<std::string> seen;
    for (const auto& i : m.message.issues) {
      const std::string& id = m.message.model().rules[i.rule].id;
      if (seen.insert(id).second) out[id].push_back(m.frame);
    }
  }
  return out;
}

// Every message type builds with its defaults, encodes, decodes back to the same type
// and re-encodes identically. Types in `invalid_by_design` may break rules (an
// unassigned code); all others must break none.
inline void expect_every_type_builds(const model::Model& m,
                                     const std::set<std::string>& invalid_by_design = {}) {
  ASSERT_FALSE(m.messages.empty());
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    const std::string name = m.str(m.messages[id].name);
    const model::Direction dir = m.messages[id].direction;
    model::Message built = model::build(m, id);
    auto bytes = model::encode(built);
    model::Message back = model::decode(m, dir, bytes);
    EXPECT_EQ(back.type, id) << name << " (" << model::to_string(dir) << ") decodes as "
                             << back.type_name() << "\n"
                             << model::format_tree(back);
    EXPECT_EQ(model::encode(back), bytes) << name;
    if (!invalid_by_design.count(name)) {
      EXPECT_TRUE(back.issues.empty()) << name << " breaks rules\n" << model::format_tree(back);
    }
  }
}

// Rows of `tshark -T fields`, one per frame number (the first field must be frame.number).
inline std::map<uint64_t, std::vector<std::string>> tshark_fields(
    const std::string& path, const std::vector<std::string>& fields,
    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {"tshark", "-r",           path, "-T",          "fields",
                                   "-E",     "occurrence=f", "-e", "frame.number"};
  for (const auto& f : fields) argv.insert(argv.end(), {"-e", f});
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto r = test::run(argv, 300);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<uint64_t, std::vector<std::string>> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::string cell;
    std::istringstream row(line);
    while (std::getline(row, cell, '\t')) cols.push_back(cell);
    while (cols.size() < fields.size() + 1) cols.emplace_back();
    if (cols[0].empty()) continue;
    uint64_t frame = std::stoull(cols[0]);
    cols.erase(cols.begin());
    out[frame] = cols;
  }
  return out;
}

// A tshark number ("0x3c02", "129", "True") or nothing for an empty cell.
inline std::optional<int64_t> tshark_number(const std::string& cell) {
  if (cell.empty()) return std::nullopt;
  if (cell == "True") return 1;
  if (cell == "False") return 0;
  std::string first = cell.substr(0, cell.find(','));
  return std::stoll(first, nullptr, 0);
}

struct EmitResult {
  std::string pcap;                                      // the written capture
  std::map<std::string, std::vector<uint64_t>> flagged;  // message type -> frames tshark marks
  dissect::Dissection decoded;                           // the capture decoded again with the model
};

// Writes every message type (built with defaults, then `adjust`ed) over one TCP
// connection to the model's port, and asks tshark which frames it marks malformed or
// in error.
inline EmitResult emit_every_type(
    const model::Model& m, const test::TempDir& dir,
    const std::function<void(model::Message&, uint32_t)>& adjust = {}) {
  EmitResult out;
  out.pcap = dir.file(m.name + "-emit.pcap");
  {
    auto w = capture::PcapWriter::create(out.pcap);
    EXPECT_TRUE(w.ok());
    auto conv =
        capture::TcpConversation::open(w.value(), {"127.0.0.1", 40000}, {"127.0.0.1", m.port});
    EXPECT_TRUE(conv.ok());
    for (model::MessageId id = 0; id < m.messages.size(); ++id) {
      model::Message msg = model::build(m, id);
      if (adjust) adjust(msg, id);
      auto bytes = model::encode(msg);
      conv.value().send(msg.direction == model::Direction::Request ? capture::Side::client
                                                                   : capture::Side::server,
                        bytes);
    }
    conv.value().close();
    EXPECT_TRUE(w.value().close().ok());
  }
  auto cap = capture::read_capture(out.pcap);
  EXPECT_TRUE(cap.ok());
  out.decoded = dissect::dissect(m, cap.value(), {});
  std::map<uint64_t, std::string> type_of_frame;
  for (const auto& dm : out.decoded.messages) {
    for (uint64_t f = dm.frame; f <= dm.last_frame; ++f) type_of_frame[f] = dm.message.type_name();
  }
  auto bad =
      test::run({"tshark", "-r", out.pcap, "-Y", "_ws.malformed || _ws.expert.severity >= error",
                 "-T", "fields", "-e", "frame.number"},
                300);
  EXPECT_EQ(bad.exit_code, 0) << bad.err;
  std::istringstream in(bad.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    uint64_t frame = std::stoull(line);
    auto it = type_of_frame.find(frame);
    out.flagged[it == type_of_frame.end() ? "<no message>" : it->second].push_back(frame);
  }
  return out;
}

}  // namespace pc::protocols
