// Helpers for the MMS model tests: run tshark and read its field values per frame, read
// a decoded message's values the way tshark lists them (every occurrence, in tree order),
// and show OIDs and bytes as tshark prints them.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/dissect/dissect.hpp"
#include "core/model/message.hpp"

namespace pc::mms_test {

// tshark options for the shared MMS captures: presentation context 1 is ACSE and 3 is
// MMS on connections whose set-up was not captured (the captures README says so).
inline const char* kContexts =
    "-o 'uat:pres_context_list:\"1\",\"2.2.1.0.1\"' -o "
    "'uat:pres_context_list:\"3\",\"1.0.9506.2.1\"'";

struct PipeCloser {
  void operator()(FILE* f) const {
    if (f) pclose(f);
  }
};

// Runs a shell command (bounded by `timeout`) and returns what it wrote to stdout.
inline std::string run_command(const std::string& command, int seconds = 300) {
  std::string full = "timeout " + std::to_string(seconds) + " " + command + " 2>/dev/null";
  std::unique_ptr<FILE, PipeCloser> pipe(popen(full.c_str(), "r"));
  if (!pipe) {
    ADD_FAILURE() << "cannot run: " << command;
    return {};
  }
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe.get())) > 0) out.append(buf, n);
  return out;
}

// frame number -> one list of occurrences per requested field.
using FrameFields = std::map<uint64_t, std::vector<std::vector<std::string>>>;

inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t at = s.find(sep, start);
    out.emplace_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

// tshark -T fields for `fields`, every occurrence, for the frames matching `filter`.
inline FrameFields tshark_fields(const std::string& capture, const std::vector<std::string>& fields,
                                 const std::string& filter,
                                 const std::string& options = kContexts) {
  // the aggregator is the unit separator byte, which no field value here contains
  std::string cmd = "tshark -r '" + capture + "' " + options + " -Y '" + filter +
                    "' -T fields -E occurrence=a -E aggregator='\x1f' -e frame.number";
  for (const auto& f : fields) cmd += " -e " + f;
  std::string out = run_command(cmd);
  FrameFields result;
  for (const auto& line : split(out, '\n')) {
    if (line.empty()) continue;
    auto cols = split(line, '\t');
    if (cols.size() != fields.size() + 1) {
      ADD_FAILURE() << "tshark line with " << cols.size() << " columns: " << line;
      continue;
    }
    std::vector<std::vector<std::string>> per_field;
    for (size_t i = 1; i < cols.size(); ++i) per_field.push_back(split(cols[i], '\x1f'));
    result[std::stoull(cols[0])] = std::move(per_field);
  }
  return result;
}

// An OBJECT IDENTIFIER's contents as dotted text (X.690 8.19), as tshark prints it.
inline std::string oid_text(std::span<const uint8_t> b) {
  std::vector<uint64_t> arcs;
  uint64_t v = 0;
  for (uint8_t x : b) {
    v = (v << 7) | (x & 0x7F);
    if (!(x & 0x80)) {
      arcs.push_back(v);
      v = 0;
    }
  }
  if (arcs.empty()) return {};
  std::string s;
  uint64_t first = arcs[0];
  if (first < 40)
    s = "0." + std::to_string(first);
  else if (first < 80)
    s = "1." + std::to_string(first - 40);
  else
    s = "2." + std::to_string(first - 80);
  for (size_t i = 1; i < arcs.size(); ++i) s += "." + std::to_string(arcs[i]);
  return s;
}

inline std::string hex_plain(std::span<const uint8_t> b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) {
    s += digits[x >> 4];
    s += digits[x & 15];
  }
  return s;
}

inline std::string text_of(std::span<const uint8_t> b) {
  return {b.begin(), b.end()};
}

// The name of the value's field ("" for unnamed ones).
inline std::string name_of(const model::Message& m, uint32_t v) {
  const auto* f = m.field(v);
  return f && f->name != model::kNone ? m.model().str(f->name) : std::string();
}

// The name of the type of the value's field ("" for inline types).
inline std::string type_name_of(const model::Message& m, uint32_t v) {
  const auto* f = m.field(v);
  if (!f) return {};
  const auto& t = m.model().types[f->type];
  return t.name != model::kNone ? m.model().str(t.name) : std::string();
}

// The contents value of a BER TLV value (its child `value`), or the value itself.
inline uint32_t contents(const model::Message& m, uint32_t v) {
  uint32_t c = m.child_named(v, m.model().names.find("value"));
  return c == model::kNone ? v : c;
}

// Every value whose field is named `name`, in tree (pre-)order.
inline std::vector<uint32_t> all_named(const model::Message& m, std::string_view name) {
  std::vector<uint32_t> out;
  for (uint32_t v = 0; v < m.values.size(); ++v) {
    if (name_of(m, v) == name) out.push_back(v);
  }
  return out;
}

// The first value named `name` (kNone if there is none).
inline uint32_t first_named(const model::Message& m, std::string_view name) {
  auto all = all_named(m, name);
  return all.empty() ? model::kNone : all[0];
}

inline int64_t num(const model::Message& m, uint32_t v) {
  return static_cast<int64_t>(m.values[v].num);
}

// A fresh directory for files a test writes, removed with everything in it at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pc-mms-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  bool ok() const { return !path_.empty(); }

 private:
  std::string path_;
};

}  // namespace pc::mms_test
