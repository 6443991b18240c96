// The findings of one kind in a findings JSON list (`protocrawler findings --json`, or
// the findings of a `dos --json` summary): shared by the engine and availability tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pc::test {

inline std::vector<nlohmann::json> findings_of_kind(const nlohmann::json& findings, const std::string& kind) {
  std::vector<nlohmann::json> out;
  if (!findings.is_array()) return out;
  for (const auto& f : findings) {
    if (f.value("kind", "") == kind) out.push_back(f);
  }
  return out;
}

}  // namespace pc::test
