// JUnit XML for CI dashboards: one test case per requirement (a failure when findings
// are open, skipped when not tested, not applicable or not supported) and one per finding
// (a failure while open, skipped when suppressed, passed when fixed or verified).
#include <fmt/format.h>

#include "core/report/html.hpp"
#include "core/report/writers.hpp"

namespace pc::report {

std::string render_junit(const nlohmann::json& doc) {
  using html::esc;
  using html::text;
  std::string reqs, finds;
  int req_fail = 0, req_skip = 0, f_fail = 0, f_skip = 0;
  const auto& matrix = doc["requirements"]["matrix"];
  for (const auto& r : matrix) {
    const std::string v = text(r["verdict"]);
    reqs += fmt::format("    <testcase classname=\"requirements\" name=\"{}\">", esc(text(r["id"]) + " " + text(r["title"])));
    if (v == "findings open") {
      ++req_fail;
      reqs += fmt::format("<failure type=\"findings open\" message=\"{}\">{}</failure>", esc(text(r["evidence"])),
                          esc(text(r["criterion"])));
    } else if (v != "evidenced") {
      ++req_skip;
      reqs += fmt::format("<skipped message=\"{}\"/>", esc(v + ": " + text(r["evidence"])));
    }
    reqs += "<system-out>" + esc(v + ": " + text(r["criterion"])) + "</system-out></testcase>\n";
  }
  const auto& items = doc["findings"]["items"];
  for (const auto& f : items) {
    const std::string st = text(f["status"]);
    finds += fmt::format("    <testcase classname=\"findings.{}\" name=\"{}\">", esc(text(f["kind"])),
                         esc(fmt::format("#{} {}", text(f["id"]), text(f["title"]))));
    if (st == "open") {
      ++f_fail;
      finds += fmt::format("<failure type=\"{}\" message=\"{}\">{}</failure>", esc(text(f["kind"])),
                           esc(fmt::format("{} {:.1f} {}", text(f["severity"]), f["score"].get<double>(), text(f["derived"]["vector"]))),
                           esc(text(f["detail"])));
    } else if (st == "accepted-risk" || st == "false-positive") {
      ++f_skip;
      finds += fmt::format("<skipped message=\"{}\"/>", esc("suppressed: " + st));
    }
    finds += "<system-out>" + esc("status " + st + "; fingerprint " + text(f["fingerprint"])) + "</system-out></testcase>\n";
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
                     esc("ProtoCrawler " + text(doc["document_control"]["report_id"])), matrix.size() + items.size(),
                     req_fail + f_fail, req_skip + f_skip);
  out += fmt::format("  <testsuite name=\"requirements\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" errors=\"0\">\n{}  </testsuite>\n",
                     matrix.size(), req_fail, req_skip, reqs);
  out += fmt::format("  <testsuite name=\"findings\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" errors=\"0\">\n{}  </testsuite>\n",
                     items.size(), f_fail, f_skip, finds);
  return out + "</testsuites>\n";
}

}  // namespace pc::report
