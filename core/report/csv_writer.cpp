// CSV (RFC 4180): one row per finding, for spreadsheets and ticket imports.
#include <fmt/format.h>

#include "core/report/html.hpp"
#include "core/report/writers.hpp"

namespace pc::report {
namespace {

std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string render_csv(const nlohmann::json& doc) {
  using html::text;
  std::string out =
      "id,fingerprint,kind,title,status,severity,score,cvss_version,vector,override_vector,override_score,cwe,"
      "requirements,model,message_type,field,mutation_class,first_run,last_run\r\n";
  for (const auto& f : doc["findings"]["items"]) {
    std::string reqs;
    for (const auto& r : f["requirements"]) reqs += (reqs.empty() ? "" : "; ") + text(r);
    const bool ov = f["override"].is_object();
    std::vector<std::string> cells = {
        text(f["id"]), text(f["fingerprint"]), text(f["kind"]), text(f["title"]), text(f["status"]),
        text(f["severity"]), fmt::format("{:.1f}", f["score"].get<double>()), text(f["derived"]["cvss_version"]),
        text(f["derived"]["vector"]), ov ? text(f["override"]["vector"]) : "",
        ov ? fmt::format("{:.1f}", f["override"]["score"].get<double>()) : "", text(f["cwe"]), reqs, text(f["model"]),
        text(f["message_type"]), text(f["field"]), text(f["mutation_class"]), text(f["first_run"]), text(f["last_run"])};
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cell(cells[i]);
    out += "\r\n";
  }
  return out;
}

}  // namespace pc::report
