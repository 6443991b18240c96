#include "core/report/context.hpp"

#include <fmt/format.h>

#include "core/model/loader.hpp"
#include "core/store/utc.hpp"

namespace pc::report {

const nlohmann::json& Context::fact(const std::string& key) const {
  static const nlohmann::json kNull;
  auto it = facts.find(key);
  return it == facts.end() ? kNull : *it;
}

namespace {

bool is_availability_run(store::Store& s, store::Id run) { return s.fact(run, "availability/plan").has_value(); }

void load_availability(store::Store& s, const std::vector<store::RunRecord>& runs, Context& out) {
  if (is_availability_run(s, out.run.id)) {
    out.availability_run = out.run.id;
  } else {
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
      if (is_availability_run(s, it->id)) {
        out.availability_run = it->id;
        break;
      }
    }
  }
  if (!out.availability_run) return;
  if (auto r = s.run(out.availability_run)) out.availability_started_utc = r->started_utc;
  auto plan = nlohmann::json::parse(s.fact(out.availability_run, "availability/plan").value_or("null"), nullptr, false);
  out.availability_plan = plan.is_discarded() ? nlohmann::json(nullptr) : plan;
  for (const auto& name : availability::stored_storms(s, out.availability_run)) {
    std::string error;
    if (auto series = availability::load_storm_series(s, out.availability_run, name, error)) {
      out.availability_storms.push_back(std::move(*series));
    } else {
      out.availability_errors.push_back(error);
    }
  }
  if (out.availability_run == out.run.id) return;
  for (auto& f : s.findings(out.availability_run)) {
    bool known = false;
    for (const auto& g : out.findings) known = known || g.id == f.id;
    if (!known) out.findings.push_back(std::move(f));
  }
}

}  // namespace

bool load_context(store::Store& s, store::Id run, const std::string& tool_version, Context& out,
                  std::string& error) {
  auto runs = s.runs();
  if (runs.empty()) {
    error = fmt::format("{} holds no run: run a campaign first", s.path());
    return false;
  }
  if (run == 0) {
    // the latest campaign; the latest availability run joins it (an availability run alone
    // is reported when the store holds nothing else)
    run = runs.back().id;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
      if (!is_availability_run(s, it->id)) {
        run = it->id;
        break;
      }
    }
  }
  auto r = s.run(run);
  if (!r) {
    error = fmt::format("{} has no run {} (runs 1..{})", s.path(), run, runs.back().id);
    return false;
  }
  out.store = &s;
  out.run = *r;
  out.tool_version = tool_version;
  out.generated_utc = store::iso_utc_now();
  for (const char* key : {"target", "scope", "protocol", "plan", "baseline", "discovery",
                          "identity", "availability"}) {
    if (auto f = s.fact(run, key)) {
      auto j = nlohmann::json::parse(*f, nullptr, false);
      if (!j.is_discarded()) out.facts[key] = j;
    }
  }
  const auto& t = out.fact("target");
  if (t.is_object()) {
    out.target.name = t.value("name", "");
    out.target.address = t.value("address", "");
    out.target.component_type = t.value("component_type", "");
    out.target.vendor = t.value("vendor", "");
    out.target.product = t.value("product", "");
    out.target.firmware = t.value("firmware", "");
  } else if (auto tr = s.target(r->target_id)) {
    out.target = *tr;
  }
  out.findings = s.findings(run);
  load_availability(s, runs, out);
  out.coverage = s.coverage(run);
  out.cases = s.cases(run);
  out.latency = s.latency(run);
  out.run_artefacts = s.run_artefacts(run);
  // the model as it was run: the stored file, when its digest matches the run's
  for (const auto& a : out.run_artefacts) {
    if (a.kind != "model" || a.sha256 != r->model_digest) continue;
    auto loaded = model::load_model_text(std::string(a.data.begin(), a.data.end()), a.name);
    if (auto* m = std::get_if<std::shared_ptr<const model::Model>>(&loaded)) out.model = *m;
  }
  out.redactor.set_model(out.model);
  return true;
}

}  // namespace pc::report
