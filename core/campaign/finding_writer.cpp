// A confirmed culprit becomes a finding: its fingerprint, title and details in the store,
// with the reproducer, a standalone script, the wire capture of a confirming replay and
// the process's report as artefacts, and the same files under the output folder.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "core/campaign/campaign_impl.hpp"
#include "core/model/decoder.hpp"
#include "core/model/rules.hpp"
#include "core/oracle/fingerprint.hpp"
#include "core/score/assessment.hpp"
#include "core/store/utc.hpp"

namespace pc::campaign {

namespace fs = std::filesystem;

namespace {

std::string hex(const std::vector<uint8_t>& b) {
  std::string s;
  for (uint8_t x : b) s += fmt::format("{:02x}", x);
  return s;
}

// The fields of `msg` whose values differ from the default instance of its type.
std::vector<uint32_t> differing(const model::Message& msg, const model::Message& def) {
  std::vector<uint32_t> out;
  const model::Model& m = msg.model();
  for (uint32_t v = 0; v < msg.values.size(); ++v) {
    const model::FieldDef* f = msg.field(v);
    if (!f || f->name == model::kNone) continue;
    model::Kind k = m.types[f->type].kind;
    bool bit = f->parent != model::kNone && m.types[f->parent].kind == model::Kind::Bits;
    uint32_t dv = def.find(msg.path(v));
    if (dv == model::kNone) continue;
    if (k == model::Kind::Uint || k == model::Kind::Sint || k == model::Kind::Varint || bit) {
      if (msg.values[v].num != def.values[dv].num) out.push_back(v);
    } else if (k == model::Kind::Bytes || k == model::Kind::Text) {
      auto a = msg.bytes(v), b = def.bytes(dv);
      if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) out.push_back(v);
    }
  }
  return out;
}

// The mutation class that describes a one-field trigger, from the model's rules.
std::string trigger_class(const model::Message& msg, uint32_t v, const std::string& fallback) {
  const model::Model& m = msg.model();
  for (const model::Issue& i : msg.issues) {
    if (i.rule == m.builtin.truncated) return "truncate";
    if (i.rule == m.builtin.trailing) return "trailing";
  }
  if (v == model::kNone) return fallback;
  const model::FieldDef& f = m.fields[msg.values[v].field];
  if (f.relation != model::kNone && (msg.values[v].flags & (model::kPinned | model::kOverridden))) {
    auto k = m.relations[f.relation].kind;
    return k == model::Relation::Kind::CountOf ? "count" : k == model::Relation::Kind::Checksum ? "checksum" : "length";
  }
  for (const model::Issue& i : msg.issues) {
    if (i.value != v) continue;
    auto k = m.rules[i.rule].kind;
    if (k == model::Rule::Kind::Range || k == model::Rule::Kind::OneOf) return "out_of_range";
    if (k == model::Rule::Kind::EnumOnly) return "invalid_enum";
    if (k == model::Rule::Kind::Relation) return "count";
  }
  if (!f.enums.empty()) return "invalid_enum";
  return fallback == "havoc" || fallback == "state" ? "boundary" : fallback;
}

std::string generic_path(std::string p) { return std::regex_replace(p, std::regex(R"(\[\d+\])"), "[]"); }

}  // namespace

FindingSummary Campaign::Impl::write_finding(const CulpritResult& culprit, const oracle::Verdict& first,
                                             const generate::TestCase& c, const std::vector<std::string>& frames,
                                             const std::string& process_report, const std::vector<uint8_t>& pcap) {
  // judge by the minimised reproducer's own verdict where its replay gave one
  const oracle::Verdict& v =
      culprit.last.verdict.action == oracle::Verdict::Action::Finding && culprit.last.verdict.kind == first.kind
          ? culprit.last.verdict
          : first;
  const Reproducer& rep = culprit.reproducer;
  const generate::TestCase& trigger = rep.cases.empty() ? c : rep.cases.back();
  // the trigger message: the last step that is not an undo
  model::Message msg(m_);
  if (!trigger.steps.empty()) msg = model::decode(m_, model::Direction::Request, trigger.steps.back().bytes);
  std::string message_type = msg.resolved() ? msg.type_name()
                                            : (trigger.message == model::kNone ? "" : m_.str(m_.messages[trigger.message].name));
  std::string field = v.field;
  std::string mutation(generate::class_name(trigger.mutation));
  bool shared_header = false;
  std::vector<std::string> changed;
  std::optional<int64_t> changed_value;  // of the one field left non-default
  if (msg.resolved() && defaults_.count(msg.type)) {
    auto diff = differing(msg, defaults_.at(msg.type));
    for (uint32_t dv : diff) changed.push_back(msg.path(dv) + "=" + std::to_string(msg.values[dv].num));
    // counters change with every case: they are not the trigger
    std::vector<uint32_t> real;
    for (uint32_t dv : diff) {
      bool counter = false;
      for (const auto& k : m_.session.counters) counter |= msg.field(dv)->name == k.field;
      if (!counter) real.push_back(dv);
    }
    if (real.size() == 1) {
      changed_value = static_cast<int64_t>(msg.values[real[0]].num);
      if (field.empty()) field = msg.path(real[0]);
      mutation = trigger_class(msg, real[0], mutation);
      // a field of the header every message shares: the defect is not the message type's
      bool in_message = false;
      for (uint32_t p = real[0]; p != model::kNone; p = msg.values[p].parent) {
        const model::FieldDef* pf = msg.field(p);
        in_message |= pf && m_.types[pf->type].is_message;
      }
      if (!in_message) shared_header = true;
    } else if (real.empty()) {
      mutation = trigger_class(msg, model::kNone, mutation);
    }
  }
  if (field.empty()) field = trigger.field;
  field = generic_path(field);
  // A fault that only many connections show (a leak) is the pattern, not the message that
  // happened to be repeated: its fingerprint leaves the message and field out.
  const bool by_repetition = rep.repeat > 1 && rep.fresh_connection_each;
  if (shared_header && !field.empty()) message_type = "*";
  if (by_repetition) {
    message_type.clear();
    field.clear();
    mutation = "repeat";
  }
  oracle::FingerprintParts parts;
  parts.kind = std::string(oracle::kind_name(v.kind));
  parts.model = m_.name;
  parts.message_type = message_type;
  parts.field = field;
  parts.mutation_class = mutation;
  // the reaction's class ("normal", "exception(3)"), not the answer's type
  parts.reaction = direct_kind(v.kind) ? v.reaction.substr(0, v.reaction.find(' ')) : "";
  parts.frames = frames;
  const std::string fp = oracle::fingerprint(parts);
  const bool known = store_->finding_by_fingerprint(fp).has_value();

  store::FindingRecord f;
  f.fingerprint = fp;
  f.kind = parts.kind;
  f.model = m_.name;
  f.message_type = message_type;
  f.field_path = field;
  f.mutation_class = mutation;
  f.reaction = parts.reaction;
  f.title = by_repetition
                ? fmt::format("{}: after {} connections that each sent {} and closed", parts.kind, rep.repeat,
                              trigger.message == model::kNone ? "a message" : m_.str(m_.messages[trigger.message].name))
                : message_type == "*"
                      ? fmt::format("{}: {} of every message ({})", parts.kind, field, mutation)
                      : fmt::format("{}: {}{}{} ({})", parts.kind, message_type, field.empty() ? "" : ".", field, mutation);
  f.first_run = f.last_run = run_id_;
  nlohmann::json answers = nlohmann::json::array();
  for (const auto& rx : culprit.last.raw) {
    answers.push_back({{"outcome", transport::to_string(rx.outcome)}, {"hex", hex(rx.bytes)}, {"latency_us", rx.latency_us}});
  }
  nlohmann::json details = {
      {"detail", v.detail},
      {"rule", v.rule},
      {"case", c.id.text()},
      {"recipe", c.recipe},
      {"changed_fields", changed},
      {"fingerprint_input", oracle::fingerprint_text(parts)},
      {"search", culprit.log},
      {"replays", culprit.replays},
      {"confirmed", culprit.confirmed},
      {"confirmations", culprit.confirmations},
      {"observed", {{"answers", answers},
                    {"probe", culprit.last.health.probe.text()},
                    {"recovered", culprit.last.health.recovered}}},
      {"frames", frames},
      {"reproducer", rep.to_json(m_)},
      {"target", target_->address().text()},
      {"thresholds", {{"case_deadline_us", executor_->deadline().count()},
                      {"max_latency_ms", o_.thresholds.max_latency.count()},
                      {"recovery_window_ms", o_.thresholds.recovery_window.count()}}},
      {"data_map", [&] {
         nlohmann::json dm = nlohmann::json::object();
         for (const auto& [t, tb] : map_.tables) dm[t] = {{"first", tb.first}, {"last", tb.last}};
         return dm;
       }()},
      {"utc_ms", executor_->sent_utc_ms()},
      {"authenticated", false},
  };
  if (culprit.last.outage_ms >= 0) details["observed"]["outage_ms"] = culprit.last.outage_ms;
  // an access judged against the device's data map: the address and the table's end
  const std::string prefix = "discovered.", suffix = ".range";
  if (changed_value && v.rule.size() > prefix.size() + suffix.size() && v.rule.rfind(prefix, 0) == 0) {
    const std::string table = v.rule.substr(prefix.size(), v.rule.size() - prefix.size() - suffix.size());
    if (auto it = map_.tables.find(table); it != map_.tables.end()) {
      details["access"] = {{"table", table}, {"value", *changed_value}, {"table_last", it->second.last}};
    }
  }
  if (!v.rule.empty()) {
    for (const auto& r : m_.rules) {
      if (r.id != v.rule) continue;
      details["clause"] = r.clause;
      details["strength"] = model::to_string(r.strength);
      details["allowed_reactions"] = model::reactions_text(m_, r);
    }
  }
  if (!process_report.empty()) details["process_report"] = process_report.substr(0, 16384);
  f.details_json = details.dump();
  // the score, from the evidence by the rules of docs/scoring.md
  score::Evidence ev = score::evidence_from_details(details);
  ev.kind = f.kind;
  ev.mutation_class = mutation;
  ev.field = field;
  ev.rule = v.rule;
  ev.transport = m_.transport;
  ev.message_writes = msg.resolved() && m_.messages[msg.type].writes;
  const score::Assessment assessment = score::assess(ev);
  f.cvss_version = assessment.cvss_version;
  f.cvss_vector = assessment.vector_text();
  f.cvss_score = assessment.score;
  f.cwe = assessment.cwe_text();
  for (const auto& r : assessment.requirements) f.requirements += (f.requirements.empty() ? "" : ", ") + r;
  f.score_json = assessment.to_json().dump();
  const std::optional<store::FindingRecord> before = store_->finding_by_fingerprint(fp);
  store::Occurrence occ;
  occ.run_id = run_id_;
  occ.phase = static_cast<uint8_t>(c.id.phase);
  occ.index = c.id.index;
  occ.confirmed = true;
  store::Id id = store_->record_finding(f, occ);
  if (!known) store_->update_finding_details(id, f.details_json);
  if (!known || (before && before->cvss_vector.empty())) store_->set_score(id, f);
  // remediation across campaigns (docs/findings.md): a suppressed fingerprint keeps the
  // status it was given; a fixed one seen again is open again
  const std::string today = store::iso_utc_now().substr(0, 10);
  const auto suppression = store_->active_suppression(fp, today);
  auto change = [&](const std::string& status, const std::string& by, const std::string& why,
                    const std::string& expires) {
    store::StatusChange c;
    c.finding_id = id;
    c.status = status;
    c.by = by;
    c.why = why;
    c.expires = expires;
    store_->set_status(c);
  };
  const std::string was = before ? before->status : "open";
  if (suppression && was != suppression->status) {
    change(suppression->status, suppression->by,
           fmt::format("suppressed ({}): {}", suppression->source, suppression->why), suppression->expires);
  } else if (!suppression && was != "open") {
    change("open", "protocrawler",
           was == "fixed" || was == "verified"
               ? fmt::format("seen again in run {}: it reproduces although it was {}", run_id_, was)
               : fmt::format("seen again in run {}: its {} suppression expired or was lifted", run_id_, was),
           "");
  }

  // artefacts, in the store and as files
  fs::path dir = fs::path(out_dir_) / "findings" / std::to_string(id);
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto artefact = [&](const std::string& kind, const std::string& name, const std::string& data) {
    store::Artefact a;
    a.finding_id = id;
    a.run_id = run_id_;
    a.kind = kind;
    a.name = name;
    a.data.assign(data.begin(), data.end());
    store_->add_artefact(a);
    std::ofstream(dir / name, std::ios::binary) << data;
  };
  artefact("reproducer", "reproducer.json", rep.to_json(m_).dump(2));
  artefact("script", "reproduce.py", reproducer_script(m_, rep, f.title));
  if (!pcap.empty()) artefact("pcap", "replay.pcap", std::string(pcap.begin(), pcap.end()));
  if (!process_report.empty()) artefact("stderr", "process-report.txt", process_report);

  FindingSummary s;
  s.id = id;
  s.fingerprint = fp;
  s.kind = parts.kind;
  s.title = f.title;
  s.message_type = message_type;
  s.field = field;
  s.mutation = mutation;
  s.reaction = parts.reaction;
  s.is_new = !known;
  if (auto now = store_->finding(id)) s.status = now->status;
  s.score = assessment.score;
  s.severity = assessment.severity_name();
  s.confirmed = culprit.confirmed;
  s.confirmations = culprit.confirmations;
  s.messages = static_cast<uint32_t>(rep.messages());
  s.files = dir.string();
  return s;
}

}  // namespace pc::campaign
