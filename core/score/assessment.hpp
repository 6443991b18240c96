// A finding's score: its CVSS 3.1 vector and base score, each metric with the reason it
// has its value, the CWE ids the evidence points to, and the IEC 62443-4-2 requirements
// it bears on. Derived from Evidence alone, by the rules of docs/scoring.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/score/cvss31.hpp"
#include "core/score/evidence.hpp"

namespace pc::score {

struct MetricReason {
  std::string metric;  // "AV", "AC", ...
  char value = 0;
  std::string why;
};

struct Assessment {
  std::string cvss_version = std::string(kCvss31Version);
  Cvss31 vector;
  double score = 0;
  std::vector<MetricReason> reasons;  // one per base metric, in vector order
  std::vector<int> cwe;               // most specific first, e.g. {787, 121}
  std::string cwe_why;
  std::vector<std::string> requirements;  // "CR 3.5", "CR 7.1", ...
  std::string vector_text() const { return to_string(vector); }
  std::string severity_name() const { return std::string(severity(score)); }
  std::string cwe_text() const;  // "CWE-787, CWE-121"
  nlohmann::json to_json() const;
};

Assessment assess(const Evidence& e);

// The IEC 62443-4-2 requirements a finding kind bears on (docs/findings.md).
std::vector<std::string> requirements_of(const std::string& kind);

}  // namespace pc::score
