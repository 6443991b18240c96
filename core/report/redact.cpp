#include "core/report/redact.hpp"

#include <fmt/format.h>

#include <cctype>

#include "core/model/decoder.hpp"
#include "core/score/cwe.hpp"

namespace pc::report {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

std::string Redactor::hex(const std::vector<uint8_t>& bytes, bool request, bool& redacted) const {
  std::vector<bool> mask(bytes.size(), false);
  // fields the model marks secret
  if (model_ && !bytes.empty()) {
    model::Message msg = model::decode(*model_, request ? model::Direction::Request : model::Direction::Response, bytes);
    for (uint32_t v = 0; v < msg.values.size(); ++v) {
      const model::FieldDef* f = msg.field(v);
      if (!f || !f->secret) continue;
      const auto& val = msg.values[v];
      for (uint64_t i = val.offset; i < val.offset + val.size && i < bytes.size(); ++i) mask[i] = true;
    }
  }
  // printable runs that read as credentials
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); ++i) {
    const bool printable = i < bytes.size() && bytes[i] >= 0x20 && bytes[i] < 0x7f;
    if (printable) continue;
    if (i - start >= 6) {
      std::vector<uint8_t> run(bytes.begin() + static_cast<std::ptrdiff_t>(start), bytes.begin() + static_cast<std::ptrdiff_t>(i));
      if (score::holds_secret_text(run)) {
        for (size_t k = start; k < i; ++k) mask[k] = true;
      }
    }
    start = i + 1;
  }
  std::string out;
  out.reserve(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (mask[i]) {
      out += "**";
      redacted = true;
    } else {
      out += fmt::format("{:02x}", bytes[i]);
    }
  }
  return out;
}

std::string Redactor::text(const std::string& s, bool& redacted) const {
  std::string out;
  std::string word;
  auto flush = [&] {
    std::vector<uint8_t> b(word.begin(), word.end());
    if (word.size() >= 6 && score::holds_secret_text(b)) {
      out += "[redacted]";
      redacted = true;
    } else {
      out += word;
    }
    word.clear();
  };
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
      out += c;
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

}  // namespace pc::report
