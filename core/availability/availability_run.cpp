#include "core/availability/availability_run.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <thread>

#include "core/availability/availability_impl.hpp"
#include "core/availability/judge.hpp"

namespace pc::availability {

namespace fs = std::filesystem;

nlohmann::json AvailabilitySummary::to_json() const {
  nlohmann::json storms_j = nlohmann::json::array();
  for (const auto& r : storms) {
    auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    nlohmann::json one = {{"storm", r.storm},
                          {"requirement", r.requirement},
                          {"unit", r.unit},
                          {"status", r.status},
                          {"skip_reason", r.skip_reason},
                          {"verdict", to_string(r.verdict)},
                          {"verdict_why", r.verdict_why},
                          {"max_sustained_rate", opt(r.max_sustained_rate)},
                          {"degraded_rate", opt(r.degraded_rate)},
                          {"failed_rate", opt(r.failed_rate)},
                          {"recovery_seconds", opt(r.recovery.seconds)},
                          {"recovery", r.recovery.verdict},
                          {"stopped", r.stopped},
                          {"steps", r.steps.size()},
                          {"findings", r.findings},
                          {"observations", r.observations}};
    if (r.sessions_before_refusal || !r.vanish.empty()) {
      one["sessions_before_refusal"] =
          r.sessions_before_refusal ? nlohmann::json(*r.sessions_before_refusal) : nlohmann::json(nullptr);
      one["sessions_vanished"] = r.vanished;
      one["sessions_freed"] = r.sessions_freed ? nlohmann::json(*r.sessions_freed) : nlohmann::json(nullptr);
      one["sessions_recovery_seconds"] = opt(r.sessions_recovery_seconds);
    }
    storms_j.push_back(one);
  }
  return {{"event", "summary"},     {"ok", ok},         {"error", error},
          {"run_id", run_id},       {"store", store_path}, {"stopped", stopped},
          {"baseline", baseline},   {"storms", storms_j}, {"findings_by_kind", findings_by_kind},
          {"observations", observations}};
}

AvailabilityRun::AvailabilityRun(campaign::Options c, AvailabilityOptions a, std::shared_ptr<const model::Model> m,
                                 generate::Profile p)
    : impl_(std::make_unique<Impl>(std::move(c), std::move(a), std::move(m), std::move(p))) {}

AvailabilityRun::~AvailabilityRun() = default;

void AvailabilityRun::on_progress(std::function<void(const std::string&)> sink) { impl_->progress_ = std::move(sink); }

bool AvailabilityRun::Impl::sleep_for(std::chrono::milliseconds d, const std::atomic<bool>& stop) const {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
    if (stop.load()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(20), until - std::chrono::steady_clock::now()));
  }
  return !stop.load();
}

std::vector<std::pair<std::string, std::string>> AvailabilityRun::Impl::hook_env() const {
  return {{"PROTOCRAWLER_TARGET", target_ ? target_->address().text() : co_.target},
          {"PROTOCRAWLER_RUN", std::to_string(run_id_)},
          {"PROTOCRAWLER_MODEL", model_->name}};
}

bool AvailabilityRun::Impl::setup(AvailabilitySummary& s) {
  raise_descriptor_limit();
  std::string err;
  store_ = store::Store::open(co_.project, err);
  if (!store_) {
    s.error = "cannot open the project store: " + err;
    return false;
  }
  s.store_path = store_->path();
  out_dir_ = co_.out.empty() ? (fs::path(store_->path()).parent_path() / "protocrawler-out").string() : co_.out;
  std::error_code ec;
  fs::create_directories(out_dir_, ec);
  target_ = std::make_unique<campaign::TargetControl>(*model_, co_, (fs::path(out_dir_) / "target.log").string());
  if (!target_->start(err)) {
    s.error = err;
    return false;
  }
  if (!to_socket_address(target_->address(), target_sa_, err)) {
    s.error = err;
    return false;
  }
  if (target_->address().kind != transport::Address::Kind::Tcp) {
    s.error = "the storms need a TCP target (tcp://HOST:PORT)";
    return false;
  }
  safety_ = std::make_unique<campaign::Safety>(*model_, co_);
  PoolRequest valid;
  if (!ao_.ef.message.empty()) {
    valid.message = model_->find_message(ao_.ef.message, model::Direction::Request);
    if (valid.message == model::kNone) {
      s.error = fmt::format("the model {} has no request message '{}'", model_->name, ao_.ef.message);
      return false;
    }
    valid.set = ao_.ef.set;
  }
  pools_ = build_pools(*model_, profile_, *safety_, valid);
  store::TargetRecord tr;
  tr.address = !co_.target.empty() || co_.target_cmd.empty() ? target_->address().text() : "started: " + co_.target_cmd;
  tr.name = co_.target_name.empty() ? tr.address : co_.target_name;
  target_id_ = store_->upsert_target(tr);
  store::RunRecord rr;
  rr.target_id = target_id_;
  rr.model_name = model_->name;
  rr.model_digest = model_->digest;
  rr.profile = profile_.name;
  rr.seed = co_.seed;
  rr.campaign_yaml = co_.campaign_yaml;
  rr.options_json = plan_json().dump();
  rr.tool_version = PC_TOOL_VERSION;
  rr.status = "running";
  run_id_ = store_->begin_run(rr);
  s.run_id = run_id_;
  if (!co_.hooks.before_campaign.empty()) observe::run_hook(co_.hooks.before_campaign, hook_env(), co_.hooks.timeout);
  if (!target_->make_healthy(err)) {
    s.error = "the target is not healthy before the storms: " + err;
    return false;
  }
  bool wants_netns = false;
  for (const auto& name : ao_.storms) {
    const auto* e = find_storm(name);
    wants_netns |= e && (e->info().needs_netns || e->info().name == "session_exhaustion");
  }
  if (wants_netns) {
    if (!ao_.use_netns) {
      netns_reason_ = "the tool's network namespace was switched off (--no-netns)";
    } else {
      netns_ = Netns::create(target_sa_, netns_reason_);
    }
  }
  return true;
}

bool AvailabilityRun::Impl::start_monitor(std::string& error) {
  ModelRequest req;
  req.model = model_.get();
  if (ao_.ef.message.empty()) {
    req.message = model_->session.probe.message;
    for (const auto& st : model_->session.probe.set) req.set.emplace_back(st.path, st.value);
    req.expect = model_->session.probe.expect;
    if (req.message == model::kNone && ao_.ef.channel.rfind("cmd:", 0) != 0) {
      error = "the model has no probe message: name the essential function's request (--ef-message)";
      return false;
    }
  } else {
    req.message = model_->find_message(ao_.ef.message, model::Direction::Request);
    req.set = ao_.ef.set;
  }
  req.value = ao_.ef.value;
  std::unique_ptr<Channel> ch;
  const std::string& c = ao_.ef.channel;
  if (c.empty() || c == "connection") {
    ch = make_connection_channel([this] { return target_->address(); }, req, "a connection opened before the storm to");
  } else if (c.rfind("cmd:", 0) == 0) {
    const bool number = !ao_.ef.value.empty() || ao_.ef.range || ao_.ef.moves_within > 0;
    ch = make_command_channel(c.substr(4), target_->address().text(), number);
  } else {
    transport::Address other;
    if (!transport::parse_address(c, other, error)) {
      error = "--ef-channel: " + error;
      return false;
    }
    if (!other.loopback() && !co_.allow_remote) {
      error = fmt::format("--ef-channel {} is not a loopback address: declare a test installation with --allow-remote",
                          other.text());
      return false;
    }
    ch = make_connection_channel([other] { return other; }, req,
                                 "a connection opened before the storm to another address of the device,");
  }
  monitor_ = std::make_unique<EssentialMonitor>(std::move(ch), ao_.ef, started_);
  // during the baseline nothing is late: the late bound comes from it
  monitor_->set_bounds(std::chrono::hours(1), std::chrono::duration_cast<std::chrono::milliseconds>(co_.thresholds.max_latency));
  return monitor_->start(error);
}

bool AvailabilityRun::Impl::measure_baseline(AvailabilitySummary& s, const std::atomic<bool>& stop) {
  if (!sleep_for(ao_.baseline, stop)) return false;
  auto cycles = monitor_->since(0);
  std::vector<uint32_t> lat;
  for (const auto& c : cycles) {
    if (c.status != CycleStatus::OnTime) {
      s.error = fmt::format("the essential function is not healthy before any load ({} at {} ms): {}",
                            to_string(c.status), c.t_ms, c.why);
      return false;
    }
    lat.push_back(c.latency_us);
  }
  if (cycles.size() < 3) {
    s.error = "the essential function gave fewer than 3 cycles during the baseline: lengthen --baseline-seconds";
    return false;
  }
  late_after_ = late_bound(lat, co_.thresholds);
  monitor_->set_bounds(late_after_, std::chrono::duration_cast<std::chrono::milliseconds>(co_.thresholds.max_latency));
  CycleStats st = cycle_stats(cycles, window_cycles(ao_.ef.period));
  baseline_ = {{"cycles", st.cycles},
               {"p50_us", st.p50_us},
               {"p99_us", st.p99_us},
               {"late_after_us", late_after_.count()},
               {"miss_after_ms", co_.thresholds.max_latency.count()},
               {"period_ms", ao_.ef.period.count()},
               {"channel", monitor_->channel_text()},
               {"t_start_ms", cycles.front().t_ms},
               {"t_end_ms", cycles.back().t_ms + ao_.ef.period.count()}};
  s.baseline = baseline_;
  store::Batch b;
  for (const auto& c : cycles) b.latency.push_back({run_id_, c.t_ms, c.latency_us, "ef:baseline:on-time"});
  store_->commit(b, run_id_);
  return true;
}

nlohmann::json AvailabilityRun::Impl::plan_json() const {
  auto plan = [](const SteppingPlan& p) {
    return nlohmann::json{{"start", p.start}, {"factor", p.factor}, {"ceiling", p.ceiling},
                          {"hold_ms", p.hold.count()}, {"past_degraded", p.past_degraded}};
  };
  nlohmann::json set = nlohmann::json::object();
  for (const auto& [k, v] : ao_.ef.set) set[k] = v;
  nlohmann::json ef = {{"message", ao_.ef.message.empty() ? "(probe)" : ao_.ef.message},
                       {"set", set},
                       {"value", ao_.ef.value},
                       {"range", ao_.ef.range ? nlohmann::json{ao_.ef.range->first, ao_.ef.range->second}
                                              : nlohmann::json(nullptr)},
                       {"moves_within", ao_.ef.moves_within},
                       {"period_ms", ao_.ef.period.count()},
                       {"channel", ao_.ef.channel},
                       {"channel_text", monitor_ ? monitor_->channel_text() : ""}};
  const auto& t = co_.thresholds;
  return {{"storms", ao_.storms},
          {"params", ao_.params},
          {"rate_stepping", plan(ao_.rate_plan)},
          {"level_stepping", plan(ao_.level_plan)},
          {"soak_rate", ao_.soak_rate ? nlohmann::json(*ao_.soak_rate) : nlohmann::json(nullptr)},
          {"soak_ms", ao_.soak.count()},
          {"essential_function", ef},
          {"baseline_ms", ao_.baseline.count()},
          {"baseline", baseline_},
          {"recovery_cycles", ao_.recovery_cycles},
          {"confirm", ao_.confirm},
          {"thresholds",
           {{"latency_factor", t.latency_factor},
            {"min_deadline_ms", t.min_deadline.count()},
            {"max_latency_ms", t.max_latency.count()},
            {"min_success_ratio", t.min_success_ratio},
            {"recovery_window_ms", t.recovery_window.count()},
            {"recovery_grace_ms", t.recovery_grace.count()}}},
          {"profile", profile_.name},
          {"target", target_ ? target_->address().text() : co_.target},
          {"network_namespace",
           {{"available", netns_ != nullptr}, {"reason", netns_reason_}, {"name", netns_ ? netns_->name() : ""}}},
          {"pools",
           {{"valid", pools_.valid_name},
            {"valid_count", pools_.valid.size()},
            {"malformed_count", pools_.malformed.size()},
            {"largest", pools_.largest_names},
            {"largest_bytes", pools_.largest.empty() ? 0 : pools_.largest.front().size()}}}};
}

AvailabilitySummary AvailabilityRun::run(const std::atomic<bool>& stop) {
  Impl& d = *impl_;
  AvailabilitySummary s;
  auto fail = [&](AvailabilitySummary& out) {
    out.ok = false;
    out.stopped = stop.load() ? "interrupted" : "error";
    if (d.store_ && d.run_id_) d.store_->end_run(d.run_id_, stop.load() ? "interrupted" : "failed");
    if (d.monitor_) d.monitor_->stop();
    return out;
  };
  if (!d.setup(s)) return fail(s);
  std::string err;
  if (!d.start_monitor(err)) {
    s.error = err;
    return fail(s);
  }
  d.note(fmt::format("essential function: {}, every {} ms; baseline for {} ms", d.monitor_->channel_text(),
                     d.ao_.ef.period.count(), d.ao_.baseline.count()));
  if (!d.measure_baseline(s, stop)) {
    if (stop.load()) s.error = "interrupted";
    return fail(s);
  }
  d.store_->put_fact(d.run_id_, "availability/plan", d.plan_json().dump());
  for (const auto& name : d.ao_.storms) {
    if (stop.load()) break;
    d.run_storm(name, s, stop);
  }
  d.monitor_->stop();
  if (!d.co_.hooks.after_campaign.empty()) observe::run_hook(d.co_.hooks.after_campaign, d.hook_env(), d.co_.hooks.timeout);
  s.stopped = stop.load() ? "interrupted" : "completed";
  s.findings_by_kind = d.findings_by_kind_;
  nlohmann::json summary = s.to_json();
  summary.erase("event");
  d.store_->put_fact(d.run_id_, "availability/summary", summary.dump());
  d.store_->end_run(d.run_id_, stop.load() ? "interrupted" : "completed");
  d.netns_.reset();
  return s;
}

}  // namespace pc::availability
