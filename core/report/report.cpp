#include "core/report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/report/package.hpp"
#include "core/report/section.hpp"
#include "core/report/writers.hpp"

namespace pc::report {

namespace fs = std::filesystem;

namespace {

bool save(const fs::path& p, const std::string& data, ReportResult& r, std::string& error) {
  std::ofstream out(p, std::ios::binary);
  if (!(out << data) || !out.flush()) {
    error = p.string() + ": cannot write";
    return false;
  }
  r.written.push_back(p.string());
  return true;
}

}  // namespace

bool write_reports(store::Store& s, const ReportOptions& o, ReportResult& r, std::string& error) {
  for (const auto& f : o.formats) {
    if (f != "html" && f != "json" && f != "sarif" && f != "junit" && f != "csv" && f != "pdf") {
      error = fmt::format("unknown format '{}' ({})", f, kFormats);
      return false;
    }
  }
  Context c;
  if (!load_context(s, o.run, o.tool_version, c, error)) return false;
  const nlohmann::json doc = build_document(c);
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) {
    error = o.out_dir + ": cannot create the folder: " + ec.message();
    return false;
  }
  const fs::path out(o.out_dir);
  auto wants = [&](const char* f) { return std::find(o.formats.begin(), o.formats.end(), f) != o.formats.end(); };
  const bool pdf = wants("pdf");
  // the HTML is needed for the PDF even when not asked for itself
  std::string html_path;
  if (wants("html") || pdf) {
    html_path = (out / "report.html").string();
    if (!save(html_path, render_html(doc), r, error)) return false;
    r.html = html_path;
  }
  if (wants("json") && !save(out / "report.json", doc.dump(2) + "\n", r, error)) return false;
  if (wants("sarif") && !save(out / "report.sarif", render_sarif(doc).dump(2) + "\n", r, error)) return false;
  if (wants("junit") && !save(out / "report.junit.xml", render_junit(doc), r, error)) return false;
  if (wants("csv") && !save(out / "report.csv", render_csv(doc), r, error)) return false;
  if (pdf) {
    std::string why;
    const std::string pdf_path = (out / "report.pdf").string();
    if (render_pdf(html_path, pdf_path, why)) {
      r.written.push_back(pdf_path);
    } else if (o.formats.size() == 1) {
      error = why;
      return false;
    } else {
      r.warnings.push_back("pdf: " + why);
    }
  }
  if (o.package) {
    PackageInput in;
    in.dir = (out / fmt::format("evidence-run-{}", c.run.id)).string();
    in.report_files = r.written;
    in.sign_key = o.sign_key;
    in.signer = o.signer;
    std::string archive;
    if (!write_package(c, doc, in, archive, error)) return false;
    r.package_dir = in.dir;
    r.archive = archive;
    r.written.push_back(in.dir);
    r.written.push_back(archive);
  }
  return true;
}

}  // namespace pc::report
