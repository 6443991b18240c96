#include "core/trace/requirements.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace pc::trace {

const std::vector<Requirement>& requirements() {
  static const std::vector<Requirement> kAll = {
      {"CR 1.1", "Human user identification and authentication",
       "nobody is served before authenticating", "authentication", false},
      {"CR 1.2", "Software process and device identification and authentication",
       "software and devices are identified and authenticated before they are served",
       "authentication", false},
      {"CR 2.1", "Authorization enforcement", "authenticated peers only do what their role allows",
       "authorization", false},
      {"CR 3.1", "Communication integrity", "tampered messages are rejected", "integrity", false},
      {"CR 3.5", "Input validation",
       "every external interface checks the syntax and content of its inputs", "", false},
      {"CR 4.1", "Information confidentiality", "information is protected against disclosure", "",
       false},
      {"CR 6.1", "Audit log accessibility", "security events are logged and the log can be read",
       "", false},
      {"CR 7.1", "Denial of service protection",
       "essential functions keep running under denial-of-service conditions", "", true},
      {"CR 7.2", "Resource management", "one peer cannot take the resources every peer needs", "",
       true},
  };
  return kAll;
}

nlohmann::json Verdict::to_json() const {
  return {{"id", id},
          {"title", title},
          {"verdict", verdict},
          {"criterion", criterion},
          {"evidence", evidence},
          {"findings", findings}};
}

namespace {

bool bears_on(const MatrixInput::Finding& f, const std::string& cr) {
  // "CR 3.5, CR 7.1": whole ids only ("CR 3.5" is not "CR 3.51")
  size_t at = 0;
  while ((at = f.requirements.find(cr, at)) != std::string::npos) {
    size_t end = at + cr.size();
    if (end == f.requirements.size() || f.requirements[end] == ',') return true;
    at = end;
  }
  return false;
}

// CR 3.5: every planned (message, field, class) slot ran at least once, every stateful
// attack ran. Returns "" when complete, else what is missing.
std::string coverage_gap(const MatrixInput& in, std::string& evidence) {
  if (!in.plan.is_object() || !in.plan.contains("systematic")) {
    evidence = "the run has no plan (it was not a campaign of this version)";
    return "no plan";
  }
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> ran;
  for (const auto& [m, f, c, n] : in.exercised) ran[{m, f, c}] += n;
  uint64_t slots = 0, missing = 0, cases = 0;
  std::string first_missing;
  std::set<std::string> messages;
  for (const auto& s : in.plan["systematic"]) {
    ++slots;
    const std::string m = s.value("message", ""), f = s.value("field", ""),
                      c = s.value("class", "");
    messages.insert(m);
    auto it = ran.find({m, f, c});
    if (it == ran.end() || it->second == 0) {
      if (missing++ == 0)
        first_missing = fmt::format("{} {} {}", m, f.empty() ? "(message)" : f, c);
    } else {
      cases += it->second;
    }
  }
  const uint64_t stateful = in.plan.contains("stateful") ? in.plan["stateful"].size() : 0;
  evidence = fmt::format(
      "{} of {} (message type, field, mutation class) slots of {} message types exercised "
      "with {} cases; {} of {} stateful attacks run",
      slots - missing, slots, messages.size(), cases, std::min(in.stateful_run, stateful),
      stateful);
  if (missing) return fmt::format("{} slot(s) not exercised, e.g. {}", missing, first_missing);
  if (slots == 0) return "the plan has no slots";
  if (in.stateful_run < stateful)
    return fmt::format("{} stateful attack(s) not run", stateful - in.stateful_run);
  return "";
}

}  // namespace

std::vector<Verdict> requirement_matrix(const MatrixInput& in) {
  std::vector<Verdict> out;
  const nlohmann::json na = in.scope.is_object() && in.scope.contains("not_applicable")
                                ? in.scope["not_applicable"]
                                : nlohmann::json::object();
  const nlohmann::json sec = in.protocol.is_object() && in.protocol.contains("security")
                                 ? in.protocol["security"]
                                 : nlohmann::json::object();
  const std::string protocol =
      in.protocol.is_object() ? in.protocol.value("title", in.protocol.value("name", "")) : "";
  for (const Requirement& r : requirements()) {
    Verdict v{r.id, r.title, "", "", "", {}};
    std::vector<int64_t> open, any;
    for (const auto& f : in.findings) {
      if (!bears_on(f, r.id)) continue;
      any.push_back(f.id);
      if (f.status == "open") open.push_back(f.id);
    }
    const std::string cap = r.capability.empty() ? "" : sec.value(r.capability, "");
    if (na.is_object() && na.contains(r.id)) {
      v.verdict = kNotApplicable;
      v.criterion = "declared not applicable to this component, with a reason (--not-applicable)";
      v.evidence = na[r.id].is_string() ? na[r.id].get<std::string>() : "";
      v.findings = any;
    } else if (cap == "none") {
      v.verdict = kNotSupported;
      v.criterion = fmt::format(
          "the protocol has no means of {} (its model's security section says so): the "
          "requirement needs a compensating countermeasure outside the protocol (network "
          "segmentation, a conduit with {}), which this campaign cannot test",
          r.capability, r.capability);
      v.evidence = fmt::format(
          "{} declares {}: none{}", protocol.empty() ? "the model" : protocol, r.capability,
          sec.value("doc", "").empty() ? "" : " (" + sec.value("doc", "") + ")");
      if (!any.empty()) v.evidence += fmt::format("; {} finding(s) bear on it", any.size());
      v.findings = any;
    } else if (!open.empty()) {
      v.verdict = kFindingsOpen;
      v.criterion =
          "a finding that bears on the requirement is open (not fixed, verified, or suppressed)";
      v.evidence = fmt::format("{} open finding(s)", open.size());
      v.findings = open;
    } else if (r.availability) {
      // tests that address it with a verdict on the device; legacy entries without a
      // verdict count as judged
      std::vector<std::string> judged, unjudged;
      const bool any_run = in.availability.is_object();
      if (any_run && in.availability.contains("tests") && in.availability["tests"].is_array()) {
        for (const auto& t : in.availability["tests"]) {
          bool addresses = false;
          if (t.contains("requirements") && t["requirements"].is_array()) {
            for (const auto& x : t["requirements"])
              addresses = addresses || (x.is_string() && x.get<std::string>() == r.id);
          }
          if (!addresses) continue;
          const std::string verdict = t.value("verdict", "available");
          const std::string said = t.value("summary", t.value("name", "a test"));
          if (verdict == "available" || verdict == "degraded" || verdict == "failed") {
            judged.push_back(said);
          } else {
            unjudged.push_back(said);
          }
        }
      }
      v.criterion = "availability storms that address it ran with a verdict on the device (protocrawler dos: the "
                    "essential function watched while the load stepped up) and no finding on it is open";
      v.findings = any;
      auto join = [](const std::vector<std::string>& xs) {
        std::string out;
        for (const auto& x : xs) out += (out.empty() ? "" : "; ") + x;
        return out;
      };
      const std::string run = any_run && in.availability.contains("run") && in.availability["run"].is_number()
                                  ? fmt::format("availability run {}", in.availability["run"].get<int64_t>())
                                  : std::string("the availability results");
      if (judged.empty()) {
        v.verdict = kNotTested;
        v.evidence = !any_run ? "no availability run in the store (protocrawler dos)"
                     : unjudged.empty()
                         ? fmt::format("{}: no storm addressing it ran", run)
                         : fmt::format("{}: no storm addressing it could be judged: {}", run, join(unjudged));
      } else {
        v.verdict = kEvidenced;
        v.evidence = fmt::format("{}: {} storm(s): {}", run, judged.size(), join(judged));
        if (!unjudged.empty()) v.evidence += fmt::format("; not judged: {}", join(unjudged));
      }
    } else if (r.id == "CR 3.5") {
      v.criterion =
          "every message type x field received every mutation class its profile requires, every "
          "stateful "
          "attack ran, and no finding on it is open";
      std::string evidence;
      std::string gap = coverage_gap(in, evidence);
      v.verdict = gap.empty() ? kEvidenced : kNotTested;
      v.evidence = gap.empty() ? evidence : evidence + "; " + gap;
      v.findings = any;
    } else if (!r.capability.empty()) {
      v.verdict = kNotTested;
      v.criterion = fmt::format(
          "tests of the protocol's own {} (absent, wrong, replayed credentials or tags) ran "
          "and no finding on it is open",
          r.capability);
      v.evidence =
          cap.empty()
              ? fmt::format("the model does not say whether the protocol offers {}", r.capability)
              : fmt::format("the protocol offers {} ({}); this campaign ran no tests of it",
                            r.capability, cap);
    } else {
      v.verdict = kNotTested;
      v.criterion =
          r.id == "CR 4.1"
              ? "confidentiality is not assessed by fuzzing; a memory-disclosure finding makes "
                "it \"findings open\""
              : "the device's own audit log is not examined by this tool";
      v.evidence =
          r.id == "CR 6.1"
              ? "every eventful case is stored with the UTC time it was sent, so the vendor can "
                "match it with the device's log"
              : "no open finding bears on it";
      v.findings = any;
    }
    out.push_back(std::move(v));
  }
  return out;
}

const std::vector<Activity>& svv3_activities() {
  static const std::vector<Activity> kAll = {
      {"abuse case testing", true,
       "stateful attacks on the protocol's sequence (forbidden states, skipped and repeated "
       "openers, stale ids, replays)"},
      {"malformed and unexpected input testing", true,
       "systematic mutation of every message type x field x mutation class of the model"},
      {"fuzz testing", true, "a feedback-guided random phase on top of the systematic one"},
      {"load and denial-of-service testing", false,
       "availability tests, when run, are reported in their own section (CR 7.1, 7.2)"},
      {"attack surface analysis", false,
       "not done by this tool: the interfaces tested are the ones given"},
      {"known vulnerability scanning", false, "not done by this tool"},
      {"software composition analysis", false, "not done by this tool"},
      {"penetration testing", false, "not done by this tool"},
  };
  return kAll;
}

std::string svv5_statement(const std::string& tester, const std::string& independence) {
  return fmt::format(
      "IEC 62443-4-1 Practice 5, SVV-5 asks that testers be independent of the developers to a "
      "degree set by the "
      "maturity level. Tests run by: {}. Independence from the developers: {}.",
      tester.empty() ? "not recorded (run with --tester)" : tester,
      independence.empty() ? "not stated (run with --independence)" : independence);
}

}  // namespace pc::trace
