// PDF through a converter found on the machine: Chromium's headless --print-to-pdf (as
// root it needs --no-sandbox), else wkhtmltopdf. No converter: a clear message.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "core/report/program.hpp"
#include "core/report/writers.hpp"

namespace pc::report {

std::string find_pdf_converter() {
  if (const char* forced = std::getenv("PROTOCRAWLER_PDF_CONVERTER")) return find_on_path(forced);
  for (const char* name : {"chromium", "chromium-browser", "google-chrome", "wkhtmltopdf"}) {
    std::string p = find_on_path(name);
    if (!p.empty()) return p;
  }
  return "";
}

bool render_pdf(const std::string& html_path, const std::string& pdf_path, std::string& error) {
  const std::string conv = find_pdf_converter();
  if (conv.empty()) {
    error = "no PDF converter found on the PATH: install Debian's chromium (or wkhtmltopdf), or leave pdf out of "
            "--format";
    return false;
  }
  const std::string html_abs = std::filesystem::absolute(html_path).string();
  std::vector<std::string> argv;
  if (std::filesystem::path(conv).filename() == "wkhtmltopdf") {
    argv = {conv, "--quiet", "--disable-javascript", html_abs, pdf_path};
  } else {
    argv = {conv, "--headless", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=" + pdf_path, "file://" + html_abs};
    if (::geteuid() == 0) argv.insert(argv.begin() + 1, "--no-sandbox");
  }
  std::error_code ec;
  std::filesystem::remove(pdf_path, ec);
  ProgramResult r = run_program(argv, std::chrono::seconds(120));
  if (r.exit_code != 0 || !std::filesystem::exists(pdf_path) || std::filesystem::file_size(pdf_path, ec) == 0) {
    std::string tail = r.output.size() > 600 ? r.output.substr(r.output.size() - 600) : r.output;
    error = fmt::format("{} did not write {} ({}): {}", conv, pdf_path,
                        r.timed_out ? "timed out" : fmt::format("exit {}", r.exit_code), tail);
    return false;
  }
  return true;
}

}  // namespace pc::report
