// The requirement matrix, one test per verdict: each builds the run facts and findings
// that lead to it, the way a campaign stores them.
#include "core/trace/requirements.hpp"

#include <gtest/gtest.h>

namespace pc::trace {
namespace {

// A run of a protocol whose model declares no security means, with a complete plan.
MatrixInput complete_run() {
  MatrixInput in;
  in.scope = nlohmann::json::parse(R"({"not_applicable": {}})");
  in.protocol = nlohmann::json::parse(
      R"({"name": "p", "title": "P", "security": {"authentication": "none", "authorization": "none", "integrity": "none", "doc": "no credentials"}})");
  in.plan = nlohmann::json::parse(R"J({"systematic": [
      {"message": "read", "field": "quantity", "class": "out_of_range", "cases": 2},
      {"message": "read", "field": "address", "class": "boundary", "cases": 4}],
    "stateful": [{"index": 0, "message": "read", "attack": "replay(read)"}]})J");
  in.exercised = {{"read", "quantity", "out_of_range", 2}, {"read", "address", "boundary", 4}};
  in.stateful_run = 1;
  return in;
}

const Verdict& row(const std::vector<Verdict>& m, const std::string& id) {
  for (const auto& v : m) {
    if (v.id == id) return v;
  }
  throw std::runtime_error("no row " + id);
}

TEST(RequirementMatrix, ListsTheRequirementsInOrder) {
  auto m = requirement_matrix(complete_run());
  std::vector<std::string> ids;
  for (const auto& v : m) ids.push_back(v.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"CR 1.1", "CR 1.2", "CR 2.1", "CR 3.1", "CR 3.5",
                                           "CR 4.1", "CR 6.1", "CR 7.1", "CR 7.2"}));
}

TEST(RequirementMatrix, Evidenced) {
  auto v = row(requirement_matrix(complete_run()), "CR 3.5");
  EXPECT_EQ(v.verdict, kEvidenced);
  EXPECT_NE(v.evidence.find("2 of 2"), std::string::npos) << v.evidence;
  EXPECT_NE(v.evidence.find("1 of 1 stateful"), std::string::npos) << v.evidence;
}

TEST(RequirementMatrix, FindingsOpen) {
  MatrixInput in = complete_run();
  in.findings.push_back({7, "accepted-invalid: read.quantity", "open", "CR 3.5"});
  in.findings.push_back({8, "a fixed one", "fixed", "CR 3.5"});
  auto v = row(requirement_matrix(in), "CR 3.5");
  EXPECT_EQ(v.verdict, kFindingsOpen);
  EXPECT_EQ(v.findings, (std::vector<int64_t>{7}));
  // a fixed or suppressed finding does not keep it open
  in.findings[0].status = "false-positive";
  EXPECT_EQ(row(requirement_matrix(in), "CR 3.5").verdict, kEvidenced);
}

TEST(RequirementMatrix, NotTestedWhenASlotOfThePlanNeverRan) {
  MatrixInput in = complete_run();
  in.exercised.pop_back();
  auto v = row(requirement_matrix(in), "CR 3.5");
  EXPECT_EQ(v.verdict, kNotTested);
  EXPECT_NE(v.evidence.find("read address boundary"), std::string::npos) << v.evidence;
}

TEST(RequirementMatrix, AvailabilityRequirementsAreNotTestedUntilAvailabilityResultsExist) {
  MatrixInput in = complete_run();
  EXPECT_EQ(row(requirement_matrix(in), "CR 7.1").verdict, kNotTested);
  EXPECT_EQ(row(requirement_matrix(in), "CR 7.2").verdict, kNotTested);
  // the hook: a run fact "availability" whose tests name the requirements they address
  in.availability = nlohmann::json::parse(
      R"({"tests": [{"name": "connection flood", "requirements": ["CR 7.1", "CR 7.2"], "passed": true}]})");
  auto v = row(requirement_matrix(in), "CR 7.1");
  EXPECT_EQ(v.verdict, kEvidenced);
  EXPECT_NE(v.evidence.find("connection flood"), std::string::npos);
  // an open finding on it still wins
  in.findings.push_back({3, "hang", "open", "CR 3.5, CR 7.1"});
  EXPECT_EQ(row(requirement_matrix(in), "CR 7.1").verdict, kFindingsOpen);
  EXPECT_EQ(row(requirement_matrix(in), "CR 7.2").verdict, kEvidenced);
}

TEST(RequirementMatrix, AvailabilityVerdictsComeFromStormsJudgedOnTheDevice) {
  MatrixInput in = complete_run();
  // storms that ran but could not be judged (tool-limited) or were not run are no evidence
  in.availability = nlohmann::json::parse(R"j({"run": 4, "tests": [
      {"name": "request_flood", "requirements": ["CR 7.1"], "verdict": "not-judged", "summary": "request_flood not-judged"},
      {"name": "syn_flood", "requirements": ["CR 7.1"], "verdict": "not run", "summary": "syn_flood not run (needs root)"}]})j");
  auto v = row(requirement_matrix(in), "CR 7.1");
  EXPECT_EQ(v.verdict, kNotTested);
  EXPECT_NE(v.evidence.find("availability run 4"), std::string::npos) << v.evidence;
  EXPECT_NE(v.evidence.find("syn_flood not run (needs root)"), std::string::npos) << v.evidence;
  EXPECT_EQ(row(requirement_matrix(in), "CR 7.2").verdict, kNotTested);
  // a storm judged on the device is evidence, with its numbers
  in.availability["tests"].push_back({{"name", "session_exhaustion"}, {"requirements", {"CR 7.2"}}, {"verdict", "available"},
                                      {"summary", "session_exhaustion available, highest sustained 15 sessions"}});
  auto w = row(requirement_matrix(in), "CR 7.2");
  EXPECT_EQ(w.verdict, kEvidenced);
  EXPECT_NE(w.evidence.find("highest sustained 15 sessions"), std::string::npos) << w.evidence;
  EXPECT_EQ(row(requirement_matrix(in), "CR 7.1").verdict, kNotTested);
  // without an availability run at all
  in.availability = nullptr;
  EXPECT_NE(row(requirement_matrix(in), "CR 7.2").evidence.find("no availability run"), std::string::npos);
}

TEST(RequirementMatrix, NotApplicableWhenDeclaredWithAReason) {
  MatrixInput in = complete_run();
  in.scope["not_applicable"]["CR 4.1"] = "the device holds no confidential data";
  auto v = row(requirement_matrix(in), "CR 4.1");
  EXPECT_EQ(v.verdict, kNotApplicable);
  EXPECT_EQ(v.evidence, "the device holds no confidential data");
}

TEST(RequirementMatrix, NotSupportedByTheProtocolComesFromTheModelNotFromAName) {
  MatrixInput in = complete_run();
  auto m = requirement_matrix(in);
  for (const char* id : {"CR 1.1", "CR 1.2", "CR 2.1", "CR 3.1"}) {
    const auto& v = row(m, id);
    EXPECT_EQ(v.verdict, kNotSupported) << id;
    EXPECT_NE(v.criterion.find("compensating countermeasure"), std::string::npos) << id;
  }
  // the same requirements for a protocol that has authentication: not tested, not "not supported"
  in.protocol["security"]["authentication"] = "required";
  m = requirement_matrix(in);
  EXPECT_EQ(row(m, "CR 1.1").verdict, kNotTested);
  EXPECT_EQ(row(m, "CR 1.2").verdict, kNotTested);
  EXPECT_EQ(row(m, "CR 2.1").verdict, kNotSupported);
  // a model that says nothing: not tested, and the evidence says the model is silent
  in.protocol = nlohmann::json::object();
  EXPECT_EQ(row(requirement_matrix(in), "CR 3.1").verdict, kNotTested);
}

TEST(RequirementMatrix, SvvActivitiesNameWhatTheToolDoesNotDo) {
  std::vector<std::string> not_covered;
  for (const auto& a : svv3_activities()) {
    if (!a.covered) not_covered.push_back(a.name);
  }
  for (const char* must : {"attack surface analysis", "known vulnerability scanning",
                           "software composition analysis"}) {
    EXPECT_NE(std::find(not_covered.begin(), not_covered.end(), must), not_covered.end()) << must;
  }
  EXPECT_NE(svv5_statement("QA lab", "independent department").find("SVV-5"), std::string::npos);
  EXPECT_NE(svv5_statement("", "").find("not recorded"), std::string::npos);
}

}  // namespace
}  // namespace pc::trace
