// The report's formats, each rendered from the JSON document (section.hpp): one
// self-contained HTML file, SARIF 2.1.0, JUnit XML, CSV, and PDF through a converter
// found on the machine. docs/report.md says what each holds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace pc::report {

std::string render_html(const nlohmann::json& doc);
nlohmann::json render_sarif(const nlohmann::json& doc);
std::string render_junit(const nlohmann::json& doc);
std::string render_csv(const nlohmann::json& doc);

// A program that turns HTML into PDF: chromium (or chromium-browser, google-chrome) with
// --headless --print-to-pdf, else wkhtmltopdf; "" when none is on the PATH.
std::string find_pdf_converter();
// false and `error` (which converter, what it said; or that none was found and what to
// install) when no PDF was written.
bool render_pdf(const std::string& html_path, const std::string& pdf_path, std::string& error);

}  // namespace pc::report
