#include "core/score/assessment.hpp"

#include <fmt/format.h>

#include "core/score/cwe.hpp"

namespace pc::score {
namespace {

void reason(Assessment& a, const char* metric, char value, std::string why) {
  a.reasons.push_back({metric, value, std::move(why)});
}

}  // namespace

std::vector<std::string> requirements_of(const std::string& kind) {
  if (kind == "crash") return {"CR 3.5", "CR 7.1"};
  if (kind == "needs-manual-reset" || kind == "hang") return {"CR 3.5", "CR 7.1"};
  if (kind == "degraded") return {"CR 7.1", "CR 7.2"};
  if (kind == "resource-exhaustion") return {"CR 7.2"};
  if (kind == "memory-disclosure") return {"CR 3.5", "CR 4.1"};
  if (kind == "accepted-invalid") return {"CR 3.5"};
  if (kind == "state-violation") return {"CR 3.5", "CR 2.1"};
  if (kind == "auth-bypass") return {"CR 1.1", "CR 1.2", "CR 2.1"};
  if (kind == "integrity-bypass") return {"CR 3.1"};
  return {"CR 3.5"};
}

std::string Assessment::cwe_text() const {
  std::string s;
  for (int id : cwe) s += (s.empty() ? "" : ", ") + fmt::format("CWE-{}", id);
  return s;
}

nlohmann::json Assessment::to_json() const {
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& r : reasons) metrics.push_back({{"metric", r.metric}, {"value", std::string(1, r.value)}, {"why", r.why}});
  return {{"cvss_version", cvss_version}, {"vector", vector_text()}, {"score", score},
          {"severity", severity_name()}, {"metrics", metrics},       {"cwe", cwe},
          {"cwe_why", cwe_why},          {"requirements", requirements}};
}

Assessment assess(const Evidence& e) {
  Assessment a;
  Cvss31& v = a.vector;
  const std::string& k = e.kind;

  // AV: where the attacker must be to send the reproducer
  if (e.transport == "link") {
    v.av = 'A';
    reason(a, "AV", 'A', "the interface is a serial or link-layer line: the attacker must be attached to it");
  } else {
    v.av = 'N';
    reason(a, "AV", 'N', fmt::format("the reproducer is sent over {} to the device's network interface",
                                     e.transport.empty() ? "the network" : e.transport));
  }
  // AC: whether it happens every time
  const bool every_time = e.confirmations == 0 || e.confirmed >= e.confirmations;
  const bool needs_mitm = k == "integrity-bypass";
  if (needs_mitm) {
    v.ac = 'H';
    reason(a, "AC", 'H', "tampering with traffic in transit needs a position on the path between the peers");
  } else if (every_time) {
    v.ac = 'L';
    reason(a, "AC", 'L', fmt::format("the reproducer worked on every confirming replay ({} of {})", e.confirmed,
                                     e.confirmations));
  } else {
    v.ac = 'H';
    reason(a, "AC", 'H', fmt::format("the reproducer worked on {} of {} confirming replays: it depends on "
                                     "conditions the attacker does not control",
                                     e.confirmed, e.confirmations));
  }
  // PR: whether the reproducer authenticated first
  v.pr = e.authenticated ? 'L' : 'N';
  reason(a, "PR", v.pr,
         e.authenticated ? "the reproducer authenticates before its trigger: a peer with credentials"
                         : "the reproducer sends no credentials: any peer that reaches the interface");
  // UI: the device is attacked directly
  v.ui = 'N';
  reason(a, "UI", 'N', "the device is attacked directly; nobody has to act");
  // S: only what the evidence shows, the component itself
  v.s = 'U';
  reason(a, "S", 'U', "the evidence shows an effect on the tested component only (override to score a changed scope)");

  // C, I, A: what the device did
  const bool disclosure = k == "memory-disclosure";
  const bool secret = e.secret_field_in_answer || holds_secret_text(e.answer);
  if (disclosure) {
    v.c = secret ? 'H' : 'L';
    reason(a, "C", v.c,
           secret ? "the disclosed bytes read as credentials or keys"
                  : "the answer disclosed memory; none of it reads as a credential or key");
  } else if (k == "state-violation" && !e.message_writes) {
    v.c = 'L';
    reason(a, "C", 'L', "data was read in a state where the device must not serve it");
  } else if (k == "auth-bypass") {
    v.c = 'H';
    reason(a, "C", 'H', "everything the protocol serves is served without valid credentials");
  } else {
    v.c = 'N';
    reason(a, "C", 'N', "no data left the device that should not have");
  }

  SanitizerBug bug = read_sanitizer_bug(e.process_report);
  if (k == "crash" && bug.write) {
    v.i = 'L';
    reason(a, "I", 'L', fmt::format("the sanitizer saw the input written out of bounds ({}): the process's memory "
                                    "was corrupted; code execution is not shown",
                                    bug.type));
  } else if (k == "accepted-invalid") {
    v.i = 'L';
    reason(a, "I", 'L', e.message_writes ? "a write the device must refuse was carried out"
                                         : "the device acted on a request it must refuse: its processing of input "
                                           "is not assured");
  } else if (k == "state-violation" && e.message_writes) {
    v.i = 'L';
    reason(a, "I", 'L', "a write was carried out in a state where the device must not act");
  } else if (k == "auth-bypass" || k == "integrity-bypass") {
    v.i = 'H';
    reason(a, "I", 'H', k == "auth-bypass" ? "requests are carried out without valid credentials"
                                           : "tampered messages are carried out as if genuine");
  } else {
    v.i = 'N';
    reason(a, "I", 'N', "nothing the device holds was changed by the reproducer");
  }

  if (k == "crash" || k == "needs-manual-reset") {
    v.a = 'H';
    reason(a, "A", 'H', k == "crash" ? "the service was gone until the process was restarted"
                                     : "the service did not come back within the recovery window; only a reset helps");
  } else if (k == "hang") {
    const int64_t limit = std::max<int64_t>(e.recovery_window_ms / 2, 1);
    const bool long_outage = !e.recovered || (e.outage_ms && *e.outage_ms >= limit);
    v.a = long_outage ? 'H' : 'L';
    reason(a, "A", v.a,
           e.outage_ms ? fmt::format("every peer was without service for {} ms ({} half the recovery window, {} ms)",
                                     *e.outage_ms, long_outage ? "at least" : "less than", limit)
                       : "the device stopped answering and came back by itself; the outage was not measured");
  } else if (k == "resource-exhaustion") {
    v.a = e.recovered ? 'L' : 'H';
    reason(a, "A", v.a,
           e.recovered ? "new peers were refused for a while, then served again"
                       : "new peers stay refused after the peers that took the resources are gone");
  } else if (k == "degraded") {
    v.a = 'L';
    reason(a, "A", 'L', "the essential function slowed or failed in part, but kept running");
  } else if (k == "auth-bypass" && e.message_writes) {
    v.a = 'H';
    reason(a, "A", 'H', "unauthenticated writes can stop the process the device serves");
  } else {
    v.a = 'N';
    reason(a, "A", 'N', "the device kept serving every peer");
  }

  a.score = base_score(v);
  CweChoice cwe = cwe_for(e);
  a.cwe = std::move(cwe.ids);
  a.cwe_why = std::move(cwe.why);
  a.requirements = requirements_of(k);
  return a;
}

}  // namespace pc::score
