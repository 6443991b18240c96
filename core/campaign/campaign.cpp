#include "core/campaign/campaign.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <filesystem>
#include <thread>

#include "core/campaign/campaign_impl.hpp"
#include "core/campaign/parallel.hpp"
#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"

namespace pc::campaign {

namespace fs = std::filesystem;
using generate::Phase;

nlohmann::json Summary::to_json() const {
  nlohmann::json fs_ = nlohmann::json::array();
  for (const auto& f : findings) {
    fs_.push_back({{"id", f.id}, {"fingerprint", f.fingerprint}, {"kind", f.kind}, {"title", f.title},
                   {"message_type", f.message_type}, {"field", f.field}, {"mutation_class", f.mutation},
                   {"reaction", f.reaction}, {"new", f.is_new}, {"status", f.status}, {"severity", f.severity},
                   {"score", f.score}, {"confirmed", f.confirmed},
                   {"confirmations", f.confirmations}, {"reproducer_messages", f.messages}, {"files", f.files}});
  }
  return {{"event", "summary"},
          {"ok", ok},
          {"error", error},
          {"run_id", run_id},
          {"store", store_path},
          {"cases", cases},
          {"resumed_from", resumed_from},
          {"excluded", excluded},
          {"reruns", reruns},
          {"harness_errors", harness_errors},
          {"elapsed_seconds", elapsed},
          {"cases_per_second", cases_per_second},
          {"case_deadline_ms", static_cast<double>(deadline.count()) / 1000.0},
          {"findings_by_kind", findings_by_kind},
          {"findings", fs_},
          {"observations", observations},
          {"warnings", warnings},
          {"discovery", discovery},
          {"stopped", stopped}};
}

Campaign::Impl::Impl(Options o, std::shared_ptr<const model::Model> m, generate::Profile p)
    : o_(std::move(o)), model_(std::move(m)), m_(*model_), profile_(std::move(p)) {
  progress_ = std::make_unique<Progress>(o_.json ? Progress::Mode::Json : o_.quiet ? Progress::Mode::Quiet : Progress::Mode::Line);
}

Campaign::Campaign(Options options, std::shared_ptr<const model::Model> model, generate::Profile profile)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(model), std::move(profile))) {}

Campaign::~Campaign() = default;

std::vector<std::pair<std::string, std::string>> Campaign::Impl::hook_env(const generate::TestCase* c) const {
  std::vector<std::pair<std::string, std::string>> env = {
      {"PROTOCRAWLER_TARGET", target_ ? target_->address().text() : o_.target},
      {"PROTOCRAWLER_RUN", std::to_string(run_id_)},
      {"PROTOCRAWLER_MODEL", m_.name},
  };
  if (c) {
    env.emplace_back("PROTOCRAWLER_CASE", c->id.text());
    env.emplace_back("PROTOCRAWLER_MESSAGE", c->message == model::kNone ? "" : m_.str(m_.messages[c->message].name));
  }
  return env;
}

bool Campaign::Impl::setup(Summary& s) {
  std::string err;
  store_ = store::Store::open(o_.project, err);
  if (!store_) {
    s.ok = false;
    s.error = "cannot open the project store: " + err;
    return false;
  }
  s.store_path = store_->path();
  out_dir_ = o_.out.empty() ? (fs::path(store_->path()).parent_path() / "protocrawler-out").string() : o_.out;
  std::error_code ec;
  fs::create_directories(out_dir_, ec);
  target_ = std::make_unique<TargetControl>(m_, o_, (fs::path(out_dir_) / "target.log").string());
  safety_ = std::make_unique<Safety>(m_, o_);
  if (!o_.dry_run && !target_->start(err)) {
    s.ok = false;
    s.error = err;
    return false;
  }
  store::TargetRecord tr;
  // a target the campaign starts is known by its command (its port may change each start)
  tr.address = !o_.target.empty() || o_.target_cmd.empty() ? (o_.dry_run ? o_.target : target_->address().text())
                                                           : "started: " + o_.target_cmd;
  tr.name = o_.target_name.empty() ? tr.address : o_.target_name;
  tr.component_type = o_.scope.component_type;
  tr.vendor = o_.scope.vendor;
  tr.product = o_.scope.product;
  tr.firmware = o_.scope.firmware;
  target_id_ = store_->upsert_target(tr);
  if (o_.resume) {
    if (auto r = store_->resumable_run(m_.digest, target_id_, o_.seed)) {
      run_id_ = r->id;
      resume_ = store_->resume_point(run_id_);
      store_->resume_run(run_id_);
    }
  }
  if (run_id_ == 0) {
    store::RunRecord rr;
    rr.target_id = target_id_;
    rr.model_name = m_.name;
    rr.model_digest = m_.digest;
    rr.profile = profile_.name;
    rr.seed = o_.seed;
    rr.campaign_yaml = o_.campaign_yaml;
    rr.tool_version = PC_TOOL_VERSION;
    rr.status = "running";
    run_id_ = store_->begin_run(rr);
  }
  s.run_id = run_id_;
  if (!resume_) record_scope();
  executor_ = std::make_unique<Executor>(m_, *target_);
  if (!o_.dry_run) {
    if (!o_.hooks.before_campaign.empty()) observe::run_hook(o_.hooks.before_campaign, hook_env(nullptr), o_.hooks.timeout);
    if (!target_->make_healthy(err)) {
      s.ok = false;
      s.error = "the target is not healthy before the campaign: " + err;
      return false;
    }
    baseline();
    s.deadline = executor_->deadline();
  }
  // discovery: once per run (a resumed run reuses what it found)
  bool discover_phase = std::find(o_.phases.begin(), o_.phases.end(), "discovery") != o_.phases.end();
  if (discover_phase && !o_.dry_run &&
      (!m_.session.discovery.ranges.empty() || !m_.session.discovery.identify.empty())) {
    DiscoveryResult d;
    if (auto f = store_->fact(run_id_, "discovery")) {
      nlohmann::json j = nlohmann::json::parse(*f, nullptr, false);
      if (j.is_object()) {
        for (auto& [t, r] : j["ranges"].items()) d.ranges[t] = {r["first"].get<int64_t>(), r["last"].get<int64_t>()};
        d.identity = j["identity"];
        d.supported = j["supported"].get<std::map<std::string, std::string>>();
        if (j.contains("said")) d.said = j["said"].get<std::map<std::string, std::string>>();
        d.requests = j.value("requests", 0u);
      }
    } else {
      progress_->note("discovery: supported messages, readable ranges, identity");
      d = discover(m_, *executor_, *safety_, o_.seed);
      store_->put_fact(run_id_, "discovery", d.to_json().dump());
      if (!d.identity.empty()) store_->update_target_identity(target_id_, d.identity.dump());
    }
    defaults_ = d.defaults(m_, *safety_);
    map_ = d.data_map(m_);
    s.discovery = d.to_json();
    discovery_ = std::move(d);
    check_identity(s);
  }
  // messages of a capture become defaults and corpus
  std::vector<std::pair<model::MessageId, std::vector<uint8_t>>> seeds;
  if (!o_.seed_pcap.empty()) {
    auto cap = capture::read_capture(o_.seed_pcap);
    if (!cap) {
      s.ok = false;
      s.error = o_.seed_pcap + ": " + cap.error().message;
      return false;
    }
    auto d = dissect::dissect(m_, cap.value(), {o_.seed_pcap_port, model::Direction::Request});
    for (auto& dm : d.messages) {
      if (dm.direction != model::Direction::Request || !dm.message.resolved()) continue;
      if (!defaults_.count(dm.message.type)) defaults_.emplace(dm.message.type, dm.message);
      seeds.emplace_back(dm.message.type, dm.bytes);
    }
    progress_->note(fmt::format("seed capture: {} requests, {} message types as defaults", seeds.size(), defaults_.size()));
  }
  catalog_ = std::make_unique<generate::Catalog>(m_, profile_, defaults_);
  if (profile_.has(generate::MutationClass::OutOfRange)) discovery_.add_edge_slots(m_, *catalog_, profile_.per_slot);
  for (auto id : catalog_->messages()) defaults_.insert_or_assign(id, catalog_->default_message(id));  // encoded
  std::map<std::string, int64_t> table_first;
  for (const auto& [table, range] : discovery_.ranges) table_first[table] = range.first;
  counters_ = std::make_unique<generate::Counters>(m_);
  systematic_ = std::make_unique<generate::Systematic>(*catalog_, *counters_);
  stateful_ = std::make_unique<generate::Stateful>(*catalog_, *counters_, *systematic_, profile_, table_first);
  random_ = std::make_unique<generate::RandomPhase>(*catalog_, *counters_, profile_, o_.seed);
  for (auto& [id, bytes] : seeds) random_->add_seed(id, std::move(bytes));
  if (!resume_ && !o_.dry_run) record_plan();
  if (resume_) {
    if (auto blob = store_->state(run_id_, "random")) random_->load_state(*blob);
    s.resumed_from = 0;
    for (const auto& c : store_->cases(run_id_)) s.resumed_from += c.phase != 0;
  }
  return true;
}

void Campaign::Impl::baseline() {
  // the answer time of valid requests: the case deadline is a multiple of its p99
  std::vector<uint32_t> lat;
  for (int i = 0; i < 30; ++i) {
    oracle::Health h = target_->probe();
    if (h.healthy) lat.push_back(h.probe.latency_us);
    store::LatencySample ls;
    ls.run_id = run_id_;
    ls.t_ms = 0;
    ls.latency_us = h.probe.latency_us;
    ls.kind = "baseline";
    batch_.latency.push_back(ls);
  }
  std::sort(lat.begin(), lat.end());
  uint32_t p99 = lat.empty() ? 0 : lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
  auto by_factor = std::chrono::microseconds(static_cast<int64_t>(o_.thresholds.latency_factor * p99));
  executor_->set_deadline(std::max<std::chrono::microseconds>(by_factor, o_.thresholds.min_deadline));
  store_->put_fact(run_id_, "baseline", nlohmann::json{{"probes", lat.size()}, {"p99_us", p99},
                                                      {"deadline_us", executor_->deadline().count()}}
                                          .dump());
}

void Campaign::Impl::commit(Phase phase, uint64_t next) {
  batch_.progress = std::make_pair(static_cast<uint8_t>(phase), next);
  if (phase == Phase::Random) batch_.state.emplace_back("random", random_->save_state());
  std::string error;
  if (!store_->try_commit(batch_, run_id_, error)) {
    // the store refused the batch (disk full, a lock held too long): stop rather than lose results
    target_lost_ = true;
    store_error_ = error;
  }
  batch_.clear();
  last_commit_ = std::chrono::steady_clock::now();
}

bool Campaign::Impl::budget_left(Summary& s, const std::atomic<bool>& stop) {
  if (stop.load()) {
    s.stopped = "interrupted";
    return false;
  }
  if (target_lost_) {
    s.stopped = "error";
    if (!store_error_.empty()) s.error = "the project store refused a batch: " + store_error_;
    return false;
  }
  if (o_.cases && s.resumed_from + s.cases >= *o_.cases) {
    s.stopped = "cases";
    return false;
  }
  if (o_.budget && std::chrono::steady_clock::now() - started_ >= *o_.budget) {
    s.stopped = "budget";
    return false;
  }
  return true;
}

void Campaign::Impl::progress(bool force) {
  state_.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  progress_->update(state_, force);
}

void Campaign::Impl::run_phases(const std::atomic<bool>& stop, Summary& s) {
  struct PhaseRun {
    Phase phase;
    uint64_t count;
  };
  std::vector<PhaseRun> phases;
  auto wanted = [&](const char* name) { return std::find(o_.phases.begin(), o_.phases.end(), name) != o_.phases.end(); };
  if (wanted("systematic")) phases.push_back({Phase::Systematic, systematic_->count()});
  if (wanted("stateful")) phases.push_back({Phase::Stateful, stateful_->count()});
  if (wanted("random")) phases.push_back({Phase::Random, random_->count()});
  state_.total = 0;
  for (const auto& p : phases) state_.total += p.count;
  if (o_.cases) state_.total = std::min<uint64_t>(state_.total, *o_.cases);
  state_.done = s.resumed_from;
  for (const auto& p : phases) {
    uint64_t start = 0;
    if (resume_) {
      if (resume_->first > static_cast<uint8_t>(p.phase)) continue;
      if (resume_->first == static_cast<uint8_t>(p.phase)) start = resume_->second;
    }
    state_.phase = generate::phase_name(p.phase);
    state_.phase_total = p.count;
    generate::TestCase c;
    uint64_t i = start;
    if (p.phase == Phase::Systematic && o_.connections > 1) i = run_parallel(start, p.count, stop, s);
    for (; i < p.count; ++i) {
      if (!budget_left(s, stop)) break;
      switch (p.phase) {
        case Phase::Systematic: systematic_->generate(i, c); break;
        case Phase::Stateful: stateful_->generate(i, c); break;
        case Phase::Random: random_->generate(i, c); break;
        case Phase::Discovery: break;
      }
      run_case(c, s);
      state_.phase_done = i + 1;
      auto now = std::chrono::steady_clock::now();
      if (batch_.cases.size() >= 512 || now - last_commit_ > std::chrono::seconds(1)) commit(p.phase, i + 1);
      progress();
    }
    commit(p.phase, i);
    if (i < p.count) return;  // stopped inside this phase
  }
}

uint64_t Campaign::Impl::run_parallel(uint64_t from, uint64_t to, const std::atomic<bool>& stop, Summary& s) {
  Parallel par(m_, *target_, *systematic_, *safety_, map_, o_.connections, executor_->deadline(), o_.rate);
  // the resume point is the end of the finished prefix: cases finish out of order
  uint64_t watermark = from;
  std::set<uint64_t> finished;
  par.run(
      from, to,
      [&](ParallelResult& r) {
        if (!r.excluded.empty()) {
          ++s.excluded;
          record(r.test, r.result, 4 /* excluded */, "excluded", {}, 0);
        } else {
          r.result.test = &r.test;
          judge(r.test, r.result, r.verdict, r.raw, r.sent_utc_ms, s);
        }
        finished.insert(r.test.id.index);
        while (finished.count(watermark)) finished.erase(watermark++);
        state_.phase_done = watermark;
        if (batch_.cases.size() >= 512 || std::chrono::steady_clock::now() - last_commit_ > std::chrono::seconds(1)) {
          commit(Phase::Systematic, watermark);
        }
        progress();
        return true;
      },
      [&] { return budget_left(s, stop); });
  return watermark;
}

Summary Campaign::run(const std::atomic<bool>& stop) {
  Impl& d = *impl_;
  Summary s;
  d.started_ = d.last_commit_ = std::chrono::steady_clock::now();
  if (!d.setup(s)) {
    if (d.store_ && d.run_id_) d.store_->end_run(d.run_id_, "failed");
    s.stopped = "error";
    return s;
  }
  d.run_phases(stop, s);
  d.progress(true);
  d.progress_->finish();
  if (!d.o_.dry_run && !d.o_.hooks.after_campaign.empty()) {
    observe::run_hook(d.o_.hooks.after_campaign, d.hook_env(nullptr), d.o_.hooks.timeout);
  }
  s.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - d.started_).count();
  s.cases_per_second = s.elapsed > 0 ? static_cast<double>(s.cases) / s.elapsed : 0;
  const bool complete = s.stopped == "completed" || s.stopped == "cases" || s.stopped == "budget";
  d.store_->end_run(d.run_id_, complete ? "completed" : s.stopped == "interrupted" ? "interrupted" : "failed");
  if (s.stopped == "error" && s.error.empty()) s.error = "the target did not come back; the campaign stopped";
  s.ok = s.ok && s.stopped != "error";
  // every finding this run saw, new or known, with its status as it stands now
  for (const auto& f : d.store_->findings(d.run_id_)) ++s.findings_by_kind[f.kind];
  for (auto& fs : s.findings) {
    if (auto now = d.store_->finding(fs.id)) fs.status = now->status;
  }
  return s;
}

}  // namespace pc::campaign
