// The IEC 62443-4-2 requirements a campaign produces evidence for, and the verdict of
// each for one run: evidenced, findings open, not tested, not applicable, or not
// supported by the protocol. The criteria are docs/requirements-matrix.md, which this
// file implements; neither names a protocol (what a protocol lacks comes from its model's
// `security` section, through the run's "protocol" fact).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pc::trace {

struct Requirement {
  std::string id;          // "CR 3.5"
  std::string title;       // "Input validation"
  std::string asks;        // what it asks, in a sentence
  std::string capability;  // what the protocol must offer for a test: authentication, authorization, integrity, ""
  bool availability = false;  // tested by availability (load) tests, not by the fuzz campaign
};

// CR 1.1, 1.2, 2.1, 3.1, 3.5, 4.1, 6.1, 7.1, 7.2, in that order.
const std::vector<Requirement>& requirements();

inline constexpr const char* kEvidenced = "evidenced";
inline constexpr const char* kFindingsOpen = "findings open";
inline constexpr const char* kNotTested = "not tested";
inline constexpr const char* kNotApplicable = "not applicable";
inline constexpr const char* kNotSupported = "not supported by protocol";

// What the verdicts are judged from: the run's facts and its findings.
struct MatrixInput {
  nlohmann::json scope;         // the "scope" fact (not_applicable)
  nlohmann::json protocol;      // the "protocol" fact (security)
  nlohmann::json plan;          // the "plan" fact (every slot the profile asks for)
  nlohmann::json availability;  // the "availability" fact, null until availability tests ran
  // (message, field, class) -> cases run that were not excluded, from the coverage table
  std::vector<std::tuple<std::string, std::string, std::string, uint64_t>> exercised;
  uint64_t stateful_run = 0;    // stateful cases run (not excluded)
  struct Finding {
    int64_t id = 0;
    std::string title, status, requirements;  // requirements: "CR 3.5, CR 7.1"
  };
  std::vector<Finding> findings;  // the run's findings with their current status
};

struct Verdict {
  std::string id, title, verdict;
  std::string criterion;  // what this verdict needs (docs/requirements-matrix.md)
  std::string evidence;   // what the run showed
  std::vector<int64_t> findings;  // findings bearing on it (open ones for "findings open")
  nlohmann::json to_json() const;
};

std::vector<Verdict> requirement_matrix(const MatrixInput& in);

// The 4-1 SVV-3 activities and whether this tool covers them, with what it does.
struct Activity {
  std::string name;
  bool covered = false;
  std::string how;
};
const std::vector<Activity>& svv3_activities();
// The statement on tester independence (4-1 SVV-5) for the report.
std::string svv5_statement(const std::string& tester, const std::string& independence);

}  // namespace pc::trace
