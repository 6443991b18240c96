// Findings, worst first: each with its score and vector (and an override beside it),
// CWE, requirements, status history, reproducing bytes (secrets redacted), what the
// device did, and the artefacts that prove it.
#include <fmt/format.h>

#include <algorithm>

#include "core/report/html.hpp"
#include "core/report/section.hpp"
#include "core/score/cvss31.hpp"

namespace pc::report {
namespace {

nlohmann::json parse(const std::string& s) {
  if (s.empty()) return nullptr;
  auto j = nlohmann::json::parse(s, nullptr, false);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

class FindingsSection final : public Section {
 public:
  std::string id() const override { return "findings"; }
  std::string title() const override { return "Findings"; }

  nlohmann::json build(const Context& c) const override {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& f : c.findings) {
      nlohmann::json d = parse(f.details_json);
      if (!d.is_object()) d = nlohmann::json::object();
      nlohmann::json sc = parse(f.score_json);
      nlohmann::json ov = parse(f.score_override_json);
      const double score = f.cvss_score.value_or(0);
      const double effective = ov.is_object() && ov.contains("score") ? ov["score"].get<double>() : score;
      bool redacted = false;
      nlohmann::json steps = nlohmann::json::array();
      nlohmann::json rep = d.contains("reproducer") ? d["reproducer"] : nlohmann::json::object();
      if (rep.contains("cases")) {
        for (const auto& cs : rep["cases"]) {
          for (const char* part : {"steps", "undo"}) {
            if (!cs.contains(part)) continue;
            for (const auto& st : cs[part]) {
              steps.push_back({{"message", st.value("message", "")},
                               {"hex", c.redactor.hex(from_hex(st.value("hex", "")), true, redacted)},
                               {"expect", st.value("expect", "")},
                               {"undo", std::string(part) == "undo"}});
            }
          }
        }
      }
      nlohmann::json answers = nlohmann::json::array();
      const nlohmann::json obs = d.contains("observed") ? d["observed"] : nlohmann::json::object();
      if (obs.contains("answers")) {
        for (const auto& a : obs["answers"]) {
          answers.push_back({{"outcome", a.value("outcome", "")},
                             {"hex", c.redactor.hex(from_hex(a.value("hex", "")), false, redacted)},
                             {"latency_us", a.value("latency_us", 0)}});
        }
      }
      std::string report = c.redactor.text(d.value("process_report", ""), redacted);
      if (report.size() > 4000) report = report.substr(0, 4000) + "\n[...]";
      nlohmann::json history = nlohmann::json::array();
      for (const auto& h : c.store->history(f.id)) {
        history.push_back({{"status", h.status}, {"by", h.by}, {"why", h.why}, {"utc", h.utc}, {"expires", h.expires}});
      }
      nlohmann::json arts = nlohmann::json::array();
      for (const auto& a : c.store->artefacts(f.id)) {
        arts.push_back({{"kind", a.kind}, {"name", a.name}, {"sha256", a.sha256}, {"size", a.data.size()}});
      }
      std::vector<std::string> reqs;
      for (size_t at = 0; at < f.requirements.size();) {
        size_t comma = f.requirements.find(',', at);
        std::string r = f.requirements.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        while (!r.empty() && r.front() == ' ') r.erase(r.begin());
        if (!r.empty()) reqs.push_back(r);
        if (comma == std::string::npos) break;
        at = comma + 1;
      }
      items.push_back({
          {"id", f.id},
          {"fingerprint", f.fingerprint},
          {"title", f.title},
          {"kind", f.kind},
          {"status", f.status},
          {"severity", std::string(score::severity(effective))},
          {"score", effective},
          {"derived", {{"cvss_version", f.cvss_version}, {"vector", f.cvss_vector}, {"score", score},
                       {"severity", std::string(score::severity(score))},
                       {"metrics", sc.is_object() && sc.contains("metrics") ? sc["metrics"] : nlohmann::json::array()}}},
          {"override", ov.is_object() ? nlohmann::json{{"cvss_version", ov.value("cvss_version", "")},
                                                       {"vector", ov.value("vector", "")},
                                                       {"score", ov.value("score", 0.0)},
                                                       {"by", ov.value("by", "")},
                                                       {"why", ov.value("why", "")},
                                                       {"utc", ov.value("utc", "")}}
                                      : nlohmann::json(nullptr)},
          {"cwe", f.cwe},
          {"cwe_why", sc.is_object() ? sc.value("cwe_why", "") : ""},
          {"requirements", reqs},
          {"model", f.model},
          {"message_type", f.message_type},
          {"field", f.field_path},
          {"mutation_class", f.mutation_class},
          {"reaction", f.reaction},
          {"detail", d.value("detail", "")},
          {"rule", d.value("rule", "")},
          {"clause", d.value("clause", "")},
          {"confirmed", d.value("confirmed", 0)},
          {"confirmations", d.value("confirmations", 0)},
          {"reproducer", {{"steps", steps}, {"repeat", rep.value("repeat", 1)},
                          {"fresh_connection_each", rep.value("fresh_connection_each", false)}}},
          {"observed", {{"answers", answers}, {"probe", obs.value("probe", "")},
                        {"recovered", obs.value("recovered", false)}, {"outage_ms", obs.value("outage_ms", -1)}}},
          {"process_report", report},
          {"redacted", redacted},
          {"first_run", f.first_run},
          {"last_run", f.last_run},
          {"baseline_state", f.first_run == c.run.id ? "new" : "unchanged"},
          {"history", history},
          {"artefacts", arts},
          {"replay_command", fmt::format("protocrawler replay {} --project PROJECT --target tcp://HOST:PORT", f.id)},
      });
    }
    std::stable_sort(items.begin(), items.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
      return a["score"].get<double>() > b["score"].get<double>();
    });
    return {{"items", items}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json&) const override {
    using namespace html;
    if (p["items"].empty()) return "<p>No findings in this run.</p>";
    std::string out;
    for (const auto& f : p["items"]) {
      const std::string sev = text(f["severity"]);
      out += fmt::format("<article class=\"finding\" id=\"finding-{}\">", f["id"].get<int64_t>());
      out += "<h3>" + badge(fmt::format("{} {:.1f}", sev, f["score"].get<double>()), severity_class(sev)) + " #" +
             esc(text(f["id"])) + " " + esc(text(f["title"])) + " " + badge(text(f["status"]), "st") + "</h3>";
      const auto& dv = f["derived"];
      std::string score_html = "<code>" + esc(text(dv["vector"])) + "</code> = " + esc(text(dv["score"])) + " (derived, CVSS " + esc(text(dv["cvss_version"])) + ")";
      if (f["override"].is_object()) {
        const auto& o = f["override"];
        score_html += "<br><b>override</b>: <code>" + esc(text(o["vector"])) + "</code> = " + esc(text(o["score"])) +
                      ", by " + esc(text(o["by"])) + " (" + esc(text(o["utc"])) + "): " + esc(text(o["why"]));
      }
      std::string reqs;
      for (const auto& r : f["requirements"]) reqs += (reqs.empty() ? "" : ", ") + text(r);
      out += dl({{"Observed", esc(text(f["detail"]))},
                 {"Score", score_html},
                 {"CWE", esc(text(f["cwe"])) + (text(f["cwe_why"]).empty() ? "" : " &mdash; " + esc(text(f["cwe_why"])))},
                 {"Requirements", esc(reqs)},
                 {"Where", esc(fmt::format("{} {} {} ({}), reaction {}", text(f["model"]), text(f["message_type"]),
                                           text(f["field"]), text(f["mutation_class"]), text(f["reaction"])))},
                 {"Rule", esc(text(f["rule"]) + (text(f["clause"]).empty() ? "" : " (" + text(f["clause"]) + ")"))},
                 {"Confirmed", esc(fmt::format("{} of {} replays", text(f["confirmed"]), text(f["confirmations"])))},
                 {"Fingerprint", "<code>" + esc(text(f["fingerprint"])) + "</code>"},
                 {"Replay", "<code>" + esc(text(f["replay_command"])) + "</code>"}});
      std::vector<std::vector<std::string>> rows;
      for (const auto& m : f["derived"]["metrics"]) rows.push_back({esc(text(m["metric"])), esc(text(m["value"])), esc(text(m["why"]))});
      out += "<details><summary>Why each metric has its value</summary>" + table({"metric", "value", "from the evidence"}, rows, "small") + "</details>";
      rows.clear();
      for (const auto& s : f["reproducer"]["steps"]) {
        rows.push_back({esc(text(s["message"])) + (s["undo"].get<bool>() ? " (undo)" : ""), hex_block(text(s["hex"])), esc(text(s["expect"]))});
      }
      out += fmt::format("<h4>Reproducer ({} time(s){})</h4>", text(f["reproducer"]["repeat"]),
                         f["reproducer"]["fresh_connection_each"].get<bool>() ? ", each on a new connection" : "") +
             table({"message", "bytes (hex)", "a correct device"}, rows, "small");
      rows.clear();
      for (const auto& a : f["observed"]["answers"]) {
        rows.push_back({esc(text(a["outcome"])), hex_block(text(a["hex"])), esc(text(a["latency_us"]))});
      }
      out += "<h4>What the device did</h4>" + table({"outcome", "answer (hex)", "latency µs"}, rows, "small") +
             "<p>" + esc(fmt::format("Health probe afterwards: {}; recovered by itself: {}{}", text(f["observed"]["probe"]),
                                     f["observed"]["recovered"].get<bool>() ? "yes" : "no",
                                     f["observed"]["outage_ms"].get<int64_t>() >= 0 ? fmt::format("; outage {} ms", text(f["observed"]["outage_ms"])) : "")) + "</p>";
      if (f["redacted"].get<bool>()) {
        out += "<p class=\"warn\">Bytes that read as credentials or keys, or that the model marks secret, are shown as **. "
               "The raw bytes are in the evidence package's confidential folder.</p>";
      }
      if (!text(f["process_report"]).empty()) out += "<details><summary>Process report</summary><pre>" + esc(text(f["process_report"])) + "</pre></details>";
      rows.clear();
      for (const auto& h : f["history"]) {
        rows.push_back({esc(text(h["utc"])), esc(text(h["status"])), esc(text(h["by"])), esc(text(h["why"])), esc(text(h["expires"]))});
      }
      out += "<h4>Status history</h4>" + table({"when", "status", "by", "why", "expires"}, rows, "small");
      out += "</article>";
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Section> make_findings_section() { return std::make_unique<FindingsSection>(); }

}  // namespace pc::report
