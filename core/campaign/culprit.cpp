#include "core/campaign/culprit.hpp"

#include <fmt/format.h>

#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"

namespace pc::campaign {

namespace {

class Search {
 public:
  Search(Replayer& r, oracle::FindingKind kind, const CulpritOptions& o) : r_(r), kind_(kind), o_(o) {}

  bool test(const Reproducer& rep) {
    if (r_.replays() >= budget_start_ + o_.max_replays || std::chrono::steady_clock::now() > deadline_) return false;
    return r_.replay(rep, kind_).reproduced;
  }

  Reproducer of(std::vector<generate::TestCase> cases, uint32_t repeat = 1, bool fresh = false) const {
    Reproducer rep;
    rep.cases = std::move(cases);
    rep.repeat = repeat;
    rep.fresh_connection_each = fresh;
    rep.kind = std::string(oracle::kind_name(kind_));
    return rep;
  }

  // Zeller's ddmin over cases, keeping their order.
  std::vector<generate::TestCase> ddmin(std::vector<generate::TestCase> cases, std::string& log) {
    size_t n = 2;
    while (cases.size() >= 2) {
      size_t chunk = (cases.size() + n - 1) / n;
      bool reduced = false;
      for (size_t start = 0; start < cases.size() && !reduced; start += chunk) {
        std::vector<generate::TestCase> subset(cases.begin() + static_cast<long>(start),
                                               cases.begin() + static_cast<long>(std::min(cases.size(), start + chunk)));
        std::vector<generate::TestCase> complement;
        for (size_t i = 0; i < cases.size(); ++i) {
          if (i < start || i >= start + chunk) complement.push_back(cases[i]);
        }
        if (test(of(subset))) {
          cases = subset;
          n = 2;
          reduced = true;
        } else if (complement.size() < cases.size() && !complement.empty() && test(of(complement))) {
          cases = complement;
          n = std::max<size_t>(n - 1, 2);
          reduced = true;
        }
      }
      if (!reduced) {
        if (n >= cases.size()) break;
        n = std::min(cases.size(), 2 * n);
      }
    }
    log += fmt::format("ddmin: {} case(s) left; ", cases.size());
    return cases;
  }

  void set_budget_start(uint32_t v) { budget_start_ = v; }
  void set_deadline(std::chrono::steady_clock::time_point d) { deadline_ = d; }

 private:
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  Replayer& r_;
  oracle::FindingKind kind_;
  const CulpritOptions& o_;
  uint32_t budget_start_ = 0;
};

// Each field of the one-message culprit back to its default, one at a time, while the
// finding still happens: what is left non-default is the trigger.
void reset_fields(Search& s, Reproducer& rep, const std::map<model::MessageId, model::Message>& defaults,
                  const model::Model& model, std::string& log) {
  if (rep.cases.size() != 1 || rep.cases[0].steps.size() != 1) return;
  generate::TestCase& c = rep.cases[0];
  model::Message msg = model::decode(model, model::Direction::Request, c.steps[0].bytes);
  if (!msg.resolved()) return;
  auto it = defaults.find(msg.type);
  if (it == defaults.end()) return;
  const model::Message& def = it->second;
  size_t reset = 0;
  for (uint32_t dv = 0; dv < def.values.size(); ++dv) {
    const model::FieldDef* f = def.field(dv);
    if (!f || f->name == model::kNone) continue;
    const model::Kind k = model.types[f->type].kind;
    std::string path = def.path(dv);
    uint32_t mv = msg.find(path);
    if (mv == model::kNone) continue;
    model::Message trial = msg;
    bool differs = false;
    if (k == model::Kind::Uint || k == model::Kind::Sint || k == model::Kind::Varint ||
        (f->parent != model::kNone && model.types[f->parent].kind == model::Kind::Bits)) {
      differs = msg.values[mv].num != def.values[dv].num || (msg.values[mv].flags & (model::kPinned | model::kOverridden));
      if (differs) trial.set(mv, static_cast<int64_t>(def.values[dv].num));
    } else if (k == model::Kind::Bytes || k == model::Kind::Text) {
      auto a = msg.bytes(mv), b = def.bytes(dv);
      differs = !std::equal(a.begin(), a.end(), b.begin(), b.end());
      if (differs) trial.set_bytes(mv, b);
    }
    if (!differs) continue;
    Reproducer t = rep;
    t.cases[0].steps[0].bytes = model::encode(trial);
    if (s.test(t)) {
      msg = std::move(trial);
      rep = std::move(t);
      ++reset;
    }
  }
  log += fmt::format("{} field(s) reset to defaults; ", reset);
}

}  // namespace

CulpritResult find_culprit(Replayer& replayer, const std::vector<generate::TestCase>& window, oracle::FindingKind kind,
                           const std::map<model::MessageId, model::Message>& defaults, const CulpritOptions& options,
                           const std::vector<bool>& refused) {
  CulpritResult out;
  if (window.empty()) return out;
  Search s(replayer, kind, options);
  const uint32_t start = replayer.replays();
  s.set_budget_start(start);
  s.set_deadline(std::chrono::steady_clock::now() + options.budget);
  const model::Model* model = nullptr;
  for (const auto& [id, m] : defaults) model = &m.model();
  Reproducer rep;
  const generate::TestCase& last = window.back();
  if (s.test(s.of({last}))) {
    rep = s.of({last});
    out.log += "the anomalous case alone reproduces; ";
  } else if (window.size() > 1 && s.test(s.of(window))) {
    out.log += fmt::format("the window of {} cases reproduces; ", window.size());
    rep = s.of(s.ddmin(window, out.log));
  } else if (kind != oracle::FindingKind::ResourceExhaustion && kind != oracle::FindingKind::Crash) {
    out.log += "no replay reproduced it";
    out.replays = replayer.replays() - start;
    return out;
  } else {
    // a fault that needs many repetitions (a leak): the last case, then the most recent
    // cases the device refused, each repeated on fresh connections; double, then bisect
    std::vector<const generate::TestCase*> suspects = {&last};
    for (size_t i = window.size(); i-- > 0 && suspects.size() < 3;) {
      if (i < refused.size() && refused[i] && !(window[i].id == last.id)) suspects.push_back(&window[i]);
    }
    const generate::TestCase* culprit = nullptr;
    uint32_t found = 0;
    for (const auto* suspect : suspects) {
      for (uint32_t k = 2; k <= options.max_repeat && !found; k *= 2) {
        if (s.test(s.of({*suspect}, k, true))) found = k;
      }
      if (found) {
        culprit = suspect;
        break;
      }
    }
    if (!culprit) {
      out.log += "no replay reproduced it";
      out.replays = replayer.replays() - start;
      return out;
    }
    uint32_t lo = found / 2 + 1, hi = found;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      if (s.test(s.of({*culprit}, mid, true))) hi = mid; else lo = mid + 1;
    }
    rep = s.of({*culprit}, hi, true);
    out.log += fmt::format("case {} reproduces it after {} repetitions on fresh connections; ", culprit->id.text(), hi);
  }
  if (model) reset_fields(s, rep, defaults, *model, out.log);
  // confirm on a healthy target
  out.confirmations = options.confirm;
  for (uint32_t i = 0; i < options.confirm; ++i) {
    ReplayOutcome o = replayer.replay(rep, kind);
    if (o.reproduced) {
      ++out.confirmed;
      out.last = std::move(o);
    }
  }
  out.found = out.confirmed > 0;
  out.reproducer = std::move(rep);
  out.replays = replayer.replays() - start;
  out.log += fmt::format("confirmed {} of {} replays", out.confirmed, out.confirmations);
  return out;
}

}  // namespace pc::campaign
