// SARIF 2.1.0: one result per finding, with its fingerprint, score, CWE and requirements
// as properties, baselineState (new: first seen in this run; unchanged: seen before) and,
// for an accepted risk or false positive, a suppression carrying its justification.
#include <fmt/format.h>

#include <algorithm>

#include "core/report/html.hpp"
#include "core/report/writers.hpp"

namespace pc::report {

namespace {

std::string level_of(const std::string& severity) {
  if (severity == "Critical" || severity == "High") return "error";
  if (severity == "Medium") return "warning";
  if (severity == "Low") return "note";
  return "none";
}

// "memory-disclosure" -> "MemoryDisclosure": SARIF wants a rule's name to differ from its id
std::string rule_name(const std::string& kind) {
  std::string out;
  bool up = true;
  for (char c : kind) {
    if (c == '-') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

}  // namespace

nlohmann::json render_sarif(const nlohmann::json& doc) {
  using html::text;
  nlohmann::json rules = nlohmann::json::array();
  std::vector<std::string> kinds;
  nlohmann::json results = nlohmann::json::array();
  for (const auto& f : doc["findings"]["items"]) {
    const std::string kind = text(f["kind"]);
    auto it = std::find(kinds.begin(), kinds.end(), kind);
    if (it == kinds.end()) {
      kinds.push_back(kind);
      rules.push_back({{"id", kind},
                       {"name", rule_name(kind)},
                       {"shortDescription", {{"text", "ProtoCrawler finding kind " + kind}}}});
      it = kinds.end() - 1;
    }
    std::string where = text(f["model"]) + "." + text(f["message_type"]) + (text(f["field"]).empty() ? "" : "." + text(f["field"]));
    nlohmann::json r = {
        {"ruleId", kind},
        {"ruleIndex", static_cast<int>(it - kinds.begin())},
        {"level", level_of(text(f["severity"]))},
        {"message", {{"text", text(f["title"]) + ": " + text(f["detail"])}}},
        {"locations", nlohmann::json::array({{{"logicalLocations",
                                               nlohmann::json::array({{{"fullyQualifiedName", where},
                                                                       {"kind", "member"}}})}}})},
        {"partialFingerprints", {{"protocrawler/v1", text(f["fingerprint"])}}},
        {"baselineState", text(f["baseline_state"])},
        {"properties",
         {{"finding_id", f["id"]},
          {"status", f["status"]},
          {"cvss_version", f["derived"]["cvss_version"]},
          {"cvss_vector", f["derived"]["vector"]},
          {"cvss_score", f["derived"]["score"]},
          {"security-severity", fmt::format("{:.1f}", f["score"].get<double>())},
          {"cwe", f["cwe"]},
          {"requirements", f["requirements"]}}}};
    const std::string status = text(f["status"]);
    if (status == "accepted-risk" || status == "false-positive") {
      std::string why;
      for (const auto& h : f["history"]) {
        if (text(h["status"]) == status) why = text(h["why"]) + " (" + text(h["by"]) + ")";
      }
      r["suppressions"] = nlohmann::json::array(
          {{{"kind", "external"}, {"status", "accepted"}, {"justification", status + ": " + why}}});
    }
    results.push_back(std::move(r));
  }
  const auto& dc = doc["document_control"];
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs",
           nlohmann::json::array({{{"tool",
                                    {{"driver",
                                      {{"name", "ProtoCrawler"},
                                       {"version", text(dc["tool"]["version"])},
                                       {"rules", rules}}}}},
                                   {"automationDetails", {{"id", text(dc["report_id"])}}},
                                   {"results", results}}})}};
}

}  // namespace pc::report
