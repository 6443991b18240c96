#include "core/campaign/replayer.hpp"

#include <thread>

namespace pc::campaign {

using oracle::FindingKind;

bool direct_kind(FindingKind k) {
  return k == FindingKind::AcceptedInvalid || k == FindingKind::MemoryDisclosure || k == FindingKind::StateViolation ||
         k == FindingKind::AuthBypass || k == FindingKind::IntegrityBypass;
}

Replayer::Replayer(const model::Model& model, TargetControl& target, std::chrono::microseconds deadline)
    : model_(model), target_(target), deadline_(deadline) {}

ReplayOutcome Replayer::replay(const Reproducer& r, FindingKind kind, bool fresh) {
  ReplayOutcome out;
  ++replays_;
  std::string why;
  if (fresh && target_.process()) {
    if (!target_.restart(why)) {
      out.note = "could not restart the target: " + why;
      return out;
    }
  }
  if (!target_.make_healthy(why)) {
    out.note = "the target is not healthy before the replay: " + why;
    return out;
  }
  Executor ex(model_, target_);
  ex.set_deadline(deadline_);
  for (uint32_t rep = 0; rep < r.repeat; ++rep) {
    for (const auto& c : r.cases) {
      out.results.push_back(ex.run(c, r.fresh_connection_each));
      out.results.back().test = &c;
    }
    if (r.fresh_connection_each) ex.close();
  }
  out.raw = ex.raw();
  ex.close();
  if (direct_kind(kind)) {
    // the finding shows in an answer: any case of the sequence
    for (const auto& res : out.results) {
      oracle::Verdict v = oracle::first_look(model_, res, map_);
      if (v.action == oracle::Verdict::Action::Finding && v.kind == kind) {
        out.reproduced = true;
        out.verdict = v;
        return out;
      }
    }
    return out;
  }
  // the finding shows in the target's health; give a dying process a moment to die
  const auto ended = std::chrono::steady_clock::now();
  oracle::Health h = target_.probe();
  for (int i = 0; !h.healthy && !h.process && target_.process() && i < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    observe::ProcessEvent ev;
    if (!target_.process()->alive(&ev)) h.process = ev;
  }
  if (!h.healthy && !h.process) {
    oracle::Health waited = target_.check();
    h.recovered = waited.healthy || waited.recovered;
    if (h.recovered) {
      out.outage_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - ended).count();
    }
    if (waited.process) h.process = waited.process;
    h.monitored = waited.monitored;
  }
  out.health = h;
  if (h.healthy) return out;
  oracle::CaseResult last = out.results.empty() ? oracle::CaseResult{} : out.results.back();
  out.verdict = oracle::after_probe(last, h);
  out.reproduced = out.verdict.kind == kind;
  return out;
}

}  // namespace pc::campaign
