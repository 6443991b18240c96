// A reproducer: the exact messages that make a finding happen, in order, and how often
// the sequence must be repeated (a leak may need many). It is what `replay` sends and
// what a vendor gets with a finding.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/generate/test_case.hpp"
#include "core/model/model.hpp"

namespace pc::campaign {

struct Reproducer {
  std::vector<generate::TestCase> cases;
  uint32_t repeat = 1;
  bool fresh_connection_each = false;  // every repetition on a new connection
  std::string kind;                    // the finding kind it reproduces
  nlohmann::json to_json(const model::Model& model) const;
  // false and `error` when the JSON is not a reproducer
  static bool from_json(const nlohmann::json& j, const model::Model& model, Reproducer& out, std::string& error);
  size_t messages() const;
};

// A standalone script (python3, standard library only) that sends the reproducer to a
// host and port and prints what comes back.
std::string reproducer_script(const model::Model& model, const Reproducer& r, const std::string& finding_title);

}  // namespace pc::campaign
