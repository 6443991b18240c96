// Small helpers for the HTML report: escaping, tables, definition lists, and the inline
// SVG charts (no script library, no network: every chart is drawn here).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace pc::report::html {

std::string esc(const std::string& s);
std::string text(const nlohmann::json& j);  // a JSON value as text ("" for null)
// <dl> of (label, already-escaped html)
std::string dl(const std::vector<std::pair<std::string, std::string>>& rows);
// <table> with escaped headers and already-escaped cells
std::string table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                  const std::string& cls = "");
// Hex shown in groups of bytes, "**" (redacted) kept as it is.
std::string hex_block(const std::string& hex);
std::string badge(const std::string& label, const std::string& cls);
std::string severity_class(const std::string& severity);
std::string verdict_class(const std::string& verdict);

// Charts (inline SVG). Values are counts or measurements, drawn to scale.
struct Series {
  std::string name, color;
  std::vector<double> values;  // one per category
};
std::string bar_chart(const std::string& title, const std::vector<std::string>& categories,
                      const std::vector<Series>& stacked, int width = 720);
std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<std::pair<double, double>>& points, int width = 720);
// rows x columns of counts; `marked` cells get a red frame (a finding came from them)
std::string heat_map(const std::string& title, const std::vector<std::string>& rows,
                     const std::vector<std::string>& columns, const std::vector<std::vector<double>>& counts,
                     const std::vector<std::vector<bool>>& marked);

}  // namespace pc::report::html
