// One case: safety, pacing, hooks, execution, the oracle's first look, a health probe
// when the answer is ambiguous, and the finding pipeline when something is wrong.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/campaign/campaign_impl.hpp"
#include "core/capture/live_capture.hpp"

namespace pc::campaign {

namespace {

enum CaseFlag : uint32_t { kAnomaly = 1, kRerun = 2, kExcluded = 4, kHarnessError = 8, kFinding = 16, kSlow = 32 };

std::string hex(const std::vector<uint8_t>& b) {
  std::string s;
  for (uint8_t x : b) s += fmt::format("{:02x}", x);
  return s;
}

}  // namespace

void Campaign::Impl::record(const generate::TestCase& c, const oracle::CaseResult& r, uint32_t flags,
                            const std::string& outcome, const std::vector<transport::Received>& raw, int64_t utc_ms) {
  store::CaseRecord cr;
  cr.run_id = run_id_;
  cr.phase = static_cast<uint8_t>(c.id.phase);
  cr.index = c.id.index;
  cr.outcome = r.answers.empty() ? 255 : oracle::outcome_code(r);
  cr.signature = r.answers.empty() ? 0 : r.answers.front().signature;
  cr.latency_us = r.answers.empty() ? 0 : r.answers.front().latency_us;
  cr.flags = flags;
  cr.utc_ms = utc_ms;
  cr.message_type = c.message == model::kNone ? "" : m_.str(m_.messages[c.message].name);
  cr.field_path = c.field;
  cr.mutation_class = std::string(generate::class_name(c.mutation));
  cr.outcome_name = outcome;
  batch_.cases.push_back(std::move(cr));
  // bytes only where something happened: the id regenerates the rest
  if (flags & (kAnomaly | kFinding | kHarnessError | kSlow)) {
    uint32_t step = 0;
    auto add = [&](const generate::Step& s) {
      store::CaseBytes cb;
      cb.run_id = run_id_;
      cb.phase = static_cast<uint8_t>(c.id.phase);
      cb.index = c.id.index;
      cb.step = step;
      cb.sent = s.bytes;
      if (step < raw.size()) cb.answer = raw[step].bytes;
      batch_.bytes.push_back(std::move(cb));
      ++step;
    };
    for (const auto& s : c.steps) add(s);
    for (const auto& s : c.undo) add(s);
  }
  ++state_.done;
}

void Campaign::Impl::run_case(generate::TestCase& c, Summary& s) {
  if (std::string why = safety_->check(c); !why.empty()) {
    ++s.excluded;
    oracle::CaseResult none;
    record(c, none, kExcluded, "excluded", {}, 0);
    return;
  }
  if (o_.dry_run) {
    std::string line = fmt::format("{} {} {}", c.id.text(),
                                   c.message == model::kNone ? "?" : m_.str(m_.messages[c.message].name), c.recipe);
    for (const auto& st : c.steps) line += " " + hex(st.bytes);
    if (o_.json) {
      progress_->event({{"event", "case"}, {"id", c.id.text()}, {"recipe", c.recipe}});
    } else if (!o_.quiet) {
      fmt::print("{}\n", line);
    }
    ++s.cases;
    ++state_.done;
    return;
  }
  if (o_.rate > 0) {
    auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1.0 / o_.rate));
    auto next = last_case_ + gap;
    auto now = std::chrono::steady_clock::now();
    if (next > now) std::this_thread::sleep_for(next - now);
  }
  last_case_ = std::chrono::steady_clock::now();
  if (!o_.hooks.before_case.empty()) observe::run_hook(o_.hooks.before_case, hook_env(&c), o_.hooks.timeout);
  oracle::CaseResult r = executor_->run(c, c.fresh_connection);
  oracle::Verdict v = oracle::first_look(m_, r, &map_);
  judge(c, r, v, executor_->raw(), executor_->sent_utc_ms(), s);
  if (!o_.hooks.after_case.empty()) observe::run_hook(o_.hooks.after_case, hook_env(&c), o_.hooks.timeout);
}

void Campaign::Impl::judge(const generate::TestCase& c, oracle::CaseResult r, oracle::Verdict v,
                           std::vector<transport::Received> raw, int64_t utc_ms, Summary& s) {
  uint32_t flags = 0;
  auto again = [&] {
    r = executor_->run(c, true);
    r.test = &c;
    raw = executor_->raw();
    utc_ms = executor_->sent_utc_ms();
    v = oracle::first_look(m_, r, &map_);
  };
  for (int tries = 0; v.action == oracle::Verdict::Action::Rerun && tries < 2; ++tries) {
    ++s.reruns;
    flags |= kRerun;
    again();
  }
  if (v.action == oracle::Verdict::Action::Rerun) {
    ++s.harness_errors;
    record(c, r, flags | kHarnessError, "error", raw, utc_ms);
    ++s.cases;
    return;
  }
  if (v.action == oracle::Verdict::Action::CheckHealth) {
    oracle::Health h = target_->probe();
    if (h.healthy) {
      // A valid request that got no answer from a healthy device was lost (a device that
      // flushed its input while busy): run it again, once. For an invalid one, silence or
      // a close is the device's refusal.
      bool valid = true;
      for (const auto& req : r.requests) valid = valid && req.resolved() && req.issues.empty();
      if (valid) {
        ++s.reruns;
        flags |= kRerun;
        again();
        if (v.action == oracle::Verdict::Action::CheckHealth || v.action == oracle::Verdict::Action::Rerun) {
          h = target_->probe();
        }
      }
      if (h.healthy && (v.action == oracle::Verdict::Action::CheckHealth || v.action == oracle::Verdict::Action::Rerun)) {
        v.action = oracle::Verdict::Action::Ok;  // a healthy device that refused by silence or a close
      }
    }
    if (v.action == oracle::Verdict::Action::CheckHealth) {
      oracle::Health checked = target_->check();
      v = oracle::after_probe(r, checked);
      if (checked.process) v.detail += checked.process->sanitizer_report ? "" : "";
    }
  }
  if (!r.answers.empty() && r.answers.front().reaction == oracle::Reaction::Normal &&
      std::chrono::microseconds(r.answers.front().latency_us) > o_.thresholds.max_latency) {
    flags |= kSlow;
    s.observations.push_back(fmt::format("{}: slow answer ({} ms) with a healthy device", c.id.text(),
                                         r.answers.front().latency_us / 1000));
  }
  window_.push_back(c);
  window_refused_.push_back(!r.answers.empty() && r.answers.front().reaction == oracle::Reaction::Refusal);
  if (window_.size() > 256) {
    window_.pop_front();
    window_refused_.pop_front();
  }
  ++s.cases;
  if (v.action == oracle::Verdict::Action::Finding) {
    // the case is committed with the next batch, after its finding: a campaign killed during
    // the search runs the case again when it resumes
    record(c, r, flags | kAnomaly | kFinding, std::string(oracle::kind_name(v.kind)), raw, utc_ms);
    anomaly(c, v, r, s);
  } else {
    record(c, r, flags, oracle::outcome_text(m_, r), raw, utc_ms);
    if (c.id.phase == generate::Phase::Random && !r.answers.empty()) random_->feedback(c, r.answers.front().signature);
    if (++since_probe_ >= o_.probe_every) periodic_probe(s);
  }
}

void Campaign::Impl::periodic_probe(Summary& s) {
  since_probe_ = 0;
  oracle::Health h = target_->probe();
  store::LatencySample ls;
  ls.run_id = run_id_;
  ls.t_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
  ls.latency_us = h.probe.latency_us;
  ls.kind = "probe";
  batch_.latency.push_back(ls);
  if (h.healthy) {
    window_.clear();
    window_refused_.clear();
    state_.health = "healthy";
    return;
  }
  // an anomaly that no single case showed: the window since the last healthy probe
  oracle::Health checked = target_->check();
  oracle::CaseResult none;
  oracle::Verdict v = oracle::after_probe(none, checked);
  if (window_.empty()) return;
  generate::TestCase last = window_.back();
  anomaly(last, v, none, s);
}

void Campaign::Impl::anomaly(const generate::TestCase& c, const oracle::Verdict& v, const oracle::CaseResult& r,
                             Summary& s) {
  state_.health = "anomaly";
  progress(true);
  if (!o_.hooks.on_failure.empty()) {
    auto env = hook_env(&c);
    env.emplace_back("PROTOCRAWLER_FINDING_KIND", std::string(oracle::kind_name(v.kind)));
    observe::run_hook(o_.hooks.on_failure, env, o_.hooks.timeout);
  }
  // what the process said when it died (before a restart replaces it)
  std::vector<std::string> frames;
  std::string report;
  if (auto* p = target_->process()) {
    observe::ProcessEvent ev;
    if (!p->alive(&ev)) {
      frames = ev.top_frames;
      report = ev.report;
    }
  }
  executor_->close();
  // the same anomaly on the same field as one already confirmed in this run: another
  // occurrence of that finding, without a second search. The message is the one the device
  // read (a mutated function code makes another message type) and the reaction its class
  // ("normal", "exception(3)"), as in the fingerprint.
  const model::MessageId sent =
      v.step < r.requests.size() && r.requests[v.step].resolved() ? r.requests[v.step].type : c.message;
  const std::string reaction = direct_kind(v.kind) ? v.reaction.substr(0, v.reaction.find(' ')) : "";
  std::string pre_key = fmt::format("{}|{}|{}|{}|{}", oracle::kind_name(v.kind), sent, c.field,
                                    generate::class_name(c.mutation), reaction);
  for (const auto& fr : frames) pre_key += "|" + fr;
  auto it = seen_.find(pre_key);
  if (it == seen_.end()) it = seen_.find(fmt::format("{}|repeat", oracle::kind_name(v.kind)));
  if (it != seen_.end()) {
    if (auto known = store_->finding_by_fingerprint(it->second)) {
      store::Occurrence occ;
      occ.run_id = run_id_;
      occ.phase = static_cast<uint8_t>(c.id.phase);
      occ.index = c.id.index;
      store_->record_finding(*known, occ);
    }
    std::string why;
    if (!target_->make_healthy(why)) {
      target_lost_ = true;
      s.error = "the target did not come back after a finding: " + why;
    }
    window_.clear();
    window_refused_.clear();
    state_.health = target_lost_ ? "lost" : "healthy";
    return;
  }
  std::vector<generate::TestCase> window;
  std::vector<bool> refused;
  if (direct_kind(v.kind)) {
    window.push_back(c);
  } else {
    window.assign(window_.begin(), window_.end());
    refused.assign(window_refused_.begin(), window_refused_.end());
    if (window.empty() || !(window.back().id == c.id)) window.push_back(c);
  }
  Replayer replayer(m_, *target_, executor_->deadline());
  replayer.set_data_map(&map_);
  CulpritOptions co;
  co.confirm = o_.confirm;
  CulpritResult culprit = find_culprit(replayer, window, v.kind, defaults_, co, refused);
  if (!culprit.found) {
    s.observations.push_back(fmt::format("{}: {} not reproduced on replay ({}): kept as a flaky observation",
                                         c.id.text(), oracle::kind_name(v.kind), culprit.log));
    store_->put_fact(run_id_, "observation:" + c.id.text(),
                     nlohmann::json{{"kind", oracle::kind_name(v.kind)}, {"detail", v.detail}, {"search", culprit.log}}.dump());
  } else {
    // one more replay, recorded from the wire, for the evidence
    std::vector<uint8_t> pcap;
    if (o_.capture && target_->address().loopback()) {
      std::string file = (std::filesystem::path(out_dir_) / "replay-capture.pcap").string();
      auto live = capture::LiveCapture::start(target_->address().resolved.find(':') == std::string::npos ? "lo" : "lo",
                                              fmt::format("port {}", target_->address().port), file);
      if (live) {
        ReplayOutcome o = replayer.replay(culprit.reproducer, v.kind);
        if (o.reproduced) culprit.last = std::move(o);
        live.value().poll();
        (void)live.value().stop();
        std::ifstream in(file, std::ios::binary);
        pcap.assign(std::istreambuf_iterator<char>(in), {});
      }
    }
    if (frames.empty() && target_->process()) {
      observe::ProcessEvent ev;
      if (!target_->process()->alive(&ev)) {
        frames = ev.top_frames;
        report = ev.report;
      }
    }
    s.findings.push_back(write_finding(culprit, v, c, frames, report, pcap));
    seen_[pre_key] = s.findings.back().fingerprint;
    if (culprit.reproducer.repeat > 1 && culprit.reproducer.fresh_connection_each) {
      seen_[fmt::format("{}|repeat", oracle::kind_name(v.kind))] = s.findings.back().fingerprint;
    }
    state_.findings = static_cast<uint32_t>(s.findings.size());
    if (o_.json) {
      const auto& f = s.findings.back();
      progress_->event({{"event", "finding"}, {"id", f.id}, {"fingerprint", f.fingerprint}, {"kind", f.kind},
                        {"title", f.title}, {"new", f.is_new}, {"confirmed", f.confirmed},
                        {"confirmations", f.confirmations}, {"case", c.id.text()}});
    } else {
      const auto& f = s.findings.back();
      progress_->note(fmt::format("finding {}{}: {} (confirmed {}/{}, {} message(s) to reproduce)", f.id,
                                  f.is_new ? "" : " (known)", f.title, f.confirmed, f.confirmations, f.messages));
    }
  }
  // back to a healthy target before going on
  std::string why;
  if (!target_->make_healthy(why)) {
    target_lost_ = true;
    s.error = "the target did not come back after a finding: " + why;
  }
  window_.clear();
  window_refused_.clear();
  state_.health = target_lost_ ? "lost" : "healthy";
}

}  // namespace pc::campaign
