// A report is a list of sections. Each builds its part of the JSON document from the
// Context, and renders that part as HTML; the JSON, SARIF, JUnit and CSV writers read the
// document. A new capability (availability under load, authentication) adds a section
// here and its properties to docs/report-schema.json, without touching the others.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/report/context.hpp"

namespace pc::report {

class Section {
 public:
  virtual ~Section() = default;
  virtual std::string id() const = 0;     // its key in the JSON document and its HTML anchor
  virtual std::string title() const = 0;
  virtual nlohmann::json build(const Context& c) const = 0;
  // `part` is what build() returned; `doc` the whole document (for cross references).
  virtual std::string html(const nlohmann::json& part, const nlohmann::json& doc) const = 0;
};

// Every section, in report order.
const std::vector<std::unique_ptr<Section>>& sections();

std::unique_ptr<Section> make_summary_section();
std::unique_ptr<Section> make_document_control_section();
std::unique_ptr<Section> make_scope_section();
std::unique_ptr<Section> make_method_section();
std::unique_ptr<Section> make_coverage_section();
std::unique_ptr<Section> make_availability_section();
std::unique_ptr<Section> make_requirements_section();
std::unique_ptr<Section> make_findings_section();

// The whole JSON document: {"format", "format_version", one key per section}.
nlohmann::json build_document(const Context& c);

inline constexpr const char* kFormat = "protocrawler-report";
inline constexpr int kFormatVersion = 1;

}  // namespace pc::report
