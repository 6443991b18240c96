#include "apps/protocrawler/finding_replay.hpp"

#include <fmt/core.h>

#include "core/campaign/target_control.hpp"
#include "core/oracle/finding_kind.hpp"

namespace pc::cli {

struct FindingReplay::Impl {
  std::shared_ptr<const model::Model> model;
  campaign::Reproducer rep;
  oracle::FindingKind kind{};
  campaign::Options options;
  std::chrono::microseconds deadline{250000};
  oracle::DataMap map;
  std::unique_ptr<campaign::TargetControl> target;
  std::unique_ptr<campaign::Replayer> replayer;
};

FindingReplay::FindingReplay(const Global& g, const store::FindingRecord& finding, const ReplayTarget& where)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  auto details = nlohmann::json::parse(finding.details_json, nullptr, false);
  if (details.is_discarded() || !details.contains("reproducer")) {
    throw UserError{fmt::format("finding {} has no stored reproducer", finding.id)};
  }
  d.model = load_model(g, finding.model);
  std::string err;
  if (!campaign::Reproducer::from_json(details["reproducer"], *d.model, d.rep, err)) throw UserError{err};
  auto kind = oracle::kind_from_name(finding.kind);
  if (!kind) throw UserError{"unknown finding kind " + finding.kind};
  d.kind = *kind;
  campaign::Options& o = d.options;
  o.model = finding.model;
  o.target = where.target;
  o.target_cmd = where.target_cmd;
  o.target_ready = where.target_ready;
  o.reset_cmd = where.reset_cmd;
  o.allow_remote = where.allow_remote;
  // judge as the campaign that made the finding judged, unless told otherwise
  const auto& th = details.contains("thresholds") ? details["thresholds"] : nlohmann::json::object();
  o.thresholds.recovery_window = std::chrono::milliseconds(
      where.recovery_ms >= 0 ? where.recovery_ms : th.value("recovery_window_ms", int64_t{15000}));
  o.thresholds.max_latency = std::chrono::milliseconds(
      where.max_latency_ms >= 0 ? where.max_latency_ms : th.value("max_latency_ms", int64_t{2000}));
  d.deadline = where.deadline_ms >= 0 ? std::chrono::microseconds(where.deadline_ms * 1000)
                                      : std::chrono::microseconds(th.value("case_deadline_us", int64_t{250000}));
  if (o.target.empty() && o.target_cmd.empty()) {
    o.target = details.value("target", "");
    if (o.target.empty()) throw UserError{"give --target (or --target-cmd)"};
  }
  // the device's data map as discovery saw it, for findings judged against it
  if (details.contains("data_map")) {
    for (const auto& r : d.model->session.discovery.ranges) {
      if (!details["data_map"].contains(r.table)) continue;
      const auto& t = details["data_map"][r.table];
      d.map.tables[r.table] = {t.value("first", int64_t{0}), t.value("last", int64_t{-1}), r.rule};
    }
  }
}

FindingReplay::~FindingReplay() = default;

void FindingReplay::start() {
  Impl& d = *impl_;
  d.target = std::make_unique<campaign::TargetControl>(*d.model, d.options, "replay-target.log");
  std::string err;
  if (!d.target->start(err)) throw UserError{err};
  d.replayer = std::make_unique<campaign::Replayer>(*d.model, *d.target, d.deadline);
  d.replayer->set_data_map(&d.map);
}

campaign::ReplayOutcome FindingReplay::replay_once() { return impl_->replayer->replay(impl_->rep, impl_->kind); }

std::string FindingReplay::address() const { return impl_->target ? impl_->target->address().text() : ""; }

size_t FindingReplay::messages() const { return impl_->rep.messages(); }

}  // namespace pc::cli
