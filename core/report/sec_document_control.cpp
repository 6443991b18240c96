// Document control: which report this is, from what, made by which tool, and every
// stored artefact with its SHA-256.
#include <fmt/format.h>

#include "core/report/html.hpp"
#include "core/report/section.hpp"

namespace pc::report {
namespace {

class DocumentControlSection final : public Section {
 public:
  std::string id() const override { return "document_control"; }
  std::string title() const override { return "Document control"; }

  nlohmann::json build(const Context& c) const override {
    // the revision counts what changed the findings' story since the run: each status
    // change (a triage decision, a retest) makes a new revision of the same report
    uint64_t events = 0;
    nlohmann::json artefacts = nlohmann::json::array();
    for (const auto& f : c.findings) {
      for (const auto& h : c.store->history(f.id)) events += h.utc > c.run.ended_utc && !c.run.ended_utc.empty();
      for (const auto& a : c.store->artefacts(f.id)) {
        artefacts.push_back({{"finding", f.id}, {"kind", a.kind}, {"name", a.name}, {"sha256", a.sha256},
                             {"size", a.data.size()}});
      }
    }
    nlohmann::json models = nlohmann::json::array();
    for (const auto& a : c.run_artefacts) {
      if (a.kind != "model") continue;
      models.push_back({{"name", c.run.model_name}, {"file", a.name}, {"sha256", a.sha256},
                        {"matches_run", a.sha256 == c.run.model_digest}});
    }
    if (models.empty()) {
      models.push_back({{"name", c.run.model_name}, {"file", ""}, {"sha256", c.run.model_digest}, {"matches_run", true}});
    }
    return {{"report_id", fmt::format("PC-R{}-{}", c.run.id, c.run.model_digest.substr(0, 8))},
            {"revision", events + 1},
            {"date", c.generated_utc},
            {"tool", {{"name", "ProtoCrawler"}, {"version", c.tool_version}, {"run_by_version", c.run.tool_version}}},
            {"models", models},
            {"configuration", c.run.campaign_yaml},
            {"seed", std::to_string(c.run.seed)},
            {"profile", c.run.profile},
            {"run", {{"id", c.run.id}, {"status", c.run.status}, {"started", c.run.started_utc},
                     {"ended", c.run.ended_utc}, {"resumes", c.run.resumes}}},
            {"store", c.store->path()},
            {"artefacts", artefacts}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json&) const override {
    using namespace html;
    std::string out = dl({{"Report id", esc(text(p["report_id"]))},
                          {"Revision", esc(text(p["revision"]))},
                          {"Date", esc(text(p["date"]))},
                          {"Tool", esc(fmt::format("{} {} (the run: {})", text(p["tool"]["name"]),
                                                   text(p["tool"]["version"]), text(p["tool"]["run_by_version"])))},
                          {"Run", esc(fmt::format("{} ({}), {} to {}, resumed {} time(s)", text(p["run"]["id"]),
                                                  text(p["run"]["status"]), text(p["run"]["started"]),
                                                  text(p["run"]["ended"]), text(p["run"]["resumes"])))},
                          {"Seed", esc(text(p["seed"]))},
                          {"Profile", esc(text(p["profile"]))},
                          {"Project store", esc(text(p["store"]))}});
    std::vector<std::vector<std::string>> models;
    for (const auto& m : p["models"]) {
      models.push_back({esc(text(m["name"])), esc(text(m["file"])), "<code>" + esc(text(m["sha256"])) + "</code>",
                        m["matches_run"].get<bool>() ? "yes" : "<b>no</b>"});
    }
    out += "<h3>Model files</h3>" + table({"model", "file", "SHA-256", "is what ran"}, models);
    out += "<h3>Campaign configuration</h3><pre>" + esc(text(p["configuration"])) + "</pre>";
    std::vector<std::vector<std::string>> arts;
    for (const auto& a : p["artefacts"]) {
      arts.push_back({esc(text(a["finding"])), esc(text(a["kind"])), esc(text(a["name"])), esc(text(a["size"])),
                      "<code>" + esc(text(a["sha256"])) + "</code>"});
    }
    out += "<h3>Artefacts</h3>" + table({"finding", "kind", "name", "bytes", "SHA-256"}, arts, "small");
    return out;
  }
};

}  // namespace

std::unique_ptr<Section> make_document_control_section() { return std::make_unique<DocumentControlSection>(); }

}  // namespace pc::report
