// Everything a report is built from, read once from the project store: the run, its
// target, its facts, its findings, its coverage and its cases. A report reads the store
// alone; nothing here talks to a device or reads a file outside the store.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/availability/storm_series.hpp"
#include "core/model/model.hpp"
#include "core/report/redact.hpp"
#include "core/store/store.hpp"

namespace pc::report {

struct Context {
  store::Store* store = nullptr;
  store::RunRecord run;
  store::TargetRecord target;   // as the run saw it (the run's "target" fact)
  nlohmann::json facts = nlohmann::json::object();  // scope, protocol, plan, baseline, discovery, identity, availability, ...
  std::vector<store::FindingRecord> findings;       // seen in the run, current status
  std::vector<store::CoverageDelta> coverage;
  std::vector<store::CaseRecord> cases;
  std::vector<store::LatencySample> latency;
  std::vector<store::Artefact> run_artefacts;       // the model file(s)
  std::shared_ptr<const model::Model> model;        // loaded from the stored model file, when there is one
  // Availability under load (docs/dos.md): the report's run itself when it is an
  // availability run (`protocrawler dos`), else the latest availability run in the store;
  // 0 when the store holds none. Its findings are added to `findings`.
  store::Id availability_run = 0;
  nlohmann::json availability_plan;                           // its "availability/plan" fact
  std::string availability_started_utc;
  std::vector<availability::StormSeries> availability_storms;  // in the order they ran
  std::vector<std::string> availability_errors;                 // stored records that could not be read
  Redactor redactor;
  std::string generated_utc;
  std::string tool_version;
  const nlohmann::json& fact(const std::string& key) const;  // null when absent
};

// Reads the run (the latest one when `run` is 0); false and `error` when the store has no
// such run.
bool load_context(store::Store& s, store::Id run, const std::string& tool_version, Context& out, std::string& error);

}  // namespace pc::report
