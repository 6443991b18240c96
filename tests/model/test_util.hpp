// Helpers for model tests: hex strings in, hex strings out, models by name.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "core/model/loader.hpp"

namespace pc::model::test {

inline std::vector<uint8_t> hex(std::string_view text) {
  std::vector<uint8_t> out;
  int nibble = -1;
  for (char c : text) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (d < 0) continue;
    if (nibble < 0) {
      nibble = d;
    } else {
      out.push_back(static_cast<uint8_t>(nibble * 16 + d));
      nibble = -1;
    }
  }
  return out;
}

inline std::string to_hex(std::span<const uint8_t> b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < b.size(); ++i) {
    if (i) s += ' ';
    s += digits[b[i] >> 4];
    s += digits[b[i] & 15];
  }
  return s;
}

inline std::shared_ptr<const Model> load_named(const std::string& name) {
  auto r = load_model_file(std::string(PC_MODELS_DIR) + "/" + name + ".yaml");
  if (auto* e = std::get_if<LoadError>(&r)) {
    ADD_FAILURE() << e->text();
    return nullptr;
  }
  return std::get<std::shared_ptr<const Model>>(r);
}

inline std::shared_ptr<const Model> load_text(const std::string& text) {
  auto r = load_model_text(text, "test.yaml");
  if (auto* e = std::get_if<LoadError>(&r)) {
    ADD_FAILURE() << e->text();
    return nullptr;
  }
  return std::get<std::shared_ptr<const Model>>(r);
}

inline std::string load_error(const std::string& text) {
  auto r = load_model_text(text, "bad.yaml");
  if (auto* e = std::get_if<LoadError>(&r)) return e->text();
  return "<loaded>";
}

}  // namespace pc::model::test
