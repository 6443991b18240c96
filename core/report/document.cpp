#include "core/report/section.hpp"

namespace pc::report {

const std::vector<std::unique_ptr<Section>>& sections() {
  static const std::vector<std::unique_ptr<Section>> kAll = [] {
    std::vector<std::unique_ptr<Section>> v;
    v.push_back(make_summary_section());
    v.push_back(make_document_control_section());
    v.push_back(make_scope_section());
    v.push_back(make_method_section());
    v.push_back(make_coverage_section());
    v.push_back(make_availability_section());
    v.push_back(make_requirements_section());
    v.push_back(make_findings_section());
    return v;
  }();
  return kAll;
}

nlohmann::json build_document(const Context& c) {
  nlohmann::json doc = {{"format", kFormat}, {"format_version", kFormatVersion}};
  // findings and requirements first: the summary reads them
  for (const char* first : {"findings", "requirements"}) {
    for (const auto& s : sections()) {
      if (s->id() == first) doc[s->id()] = s->build(c);
    }
  }
  for (const auto& s : sections()) {
    if (!doc.contains(s->id())) doc[s->id()] = s->build(c);
  }
  // the summary is built from the other parts
  for (const auto& s : sections()) {
    if (s->id() == "summary") {
      nlohmann::json part = s->build(c);
      const auto& f = doc["findings"]["items"];
      nlohmann::json by = {{"Critical", 0}, {"High", 0}, {"Medium", 0}, {"Low", 0}, {"None", 0}};
      nlohmann::json open = by;
      for (const auto& x : f) {
        by[x["severity"].get<std::string>()] = by[x["severity"].get<std::string>()].get<int>() + 1;
        if (x["status"] == "open") open[x["severity"].get<std::string>()] = open[x["severity"].get<std::string>()].get<int>() + 1;
      }
      part["findings_by_severity"] = by;
      part["open_by_severity"] = open;
      nlohmann::json verdicts = nlohmann::json::object();
      for (const auto& r : doc["requirements"]["matrix"]) {
        std::string v = r["verdict"];
        verdicts[v] = verdicts.value(v, 0) + 1;
      }
      part["verdicts"] = verdicts;
      doc["summary"] = part;
    }
  }
  return doc;
}

}  // namespace pc::report
