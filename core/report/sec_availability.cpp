// Availability under load (CR 7.1, CR 7.2; docs/dos.md): the availability run the report
// draws on, its essential function and baseline, and per storm the parameters, the rate
// steps with the essential function's availability and latency, the verdict with its
// numbers, the recovery, the tool-limited steps and the chart (inline SVG drawn from the
// stored series). A store without an availability run says "not tested".
#include <fmt/format.h>

#include "core/availability/availability_chart.hpp"
#include "core/report/html.hpp"
#include "core/report/section.hpp"

namespace pc::report {
namespace {

nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json storm_json(const availability::StormSeries& s) {
  const auto& r = s.result;
  nlohmann::json steps = nlohmann::json::array();
  uint32_t tool_limited = 0;
  for (const auto& st : r.steps) {
    tool_limited += st.limit == "tool" || st.limit == "harness";
    steps.push_back({{"index", st.index},
                     {"kind", st.kind},
                     {"offered", st.offered},
                     {"achieved", st.achieved},
                     {"answered_rate", st.answered_rate},
                     {"tool_cpu", st.tool_cpu},
                     {"limit", st.limit},
                     {"verdict", availability::to_string(st.verdict)},
                     {"cycles", st.ef.cycles},
                     {"on_time", st.ef.on_time},
                     {"late", st.ef.late},
                     {"wrong", st.ef.wrong},
                     {"missed", st.ef.missed},
                     {"success_ratio", st.ef.success_ratio},
                     {"worst_window", st.ef.worst_window},
                     {"p50_us", st.ef.p50_us},
                     {"p99_us", st.ef.p99_us},
                     {"max_us", st.ef.max_us},
                     {"why", st.why}});
  }
  nlohmann::json sessions = nullptr;
  if (r.sessions_before_refusal || !r.vanish.empty()) {
    sessions = {{"before_refusal", r.sessions_before_refusal ? nlohmann::json(*r.sessions_before_refusal) : nullptr},
                {"vanish", r.vanish},
                {"vanished", r.vanished},
                {"freed", r.sessions_freed ? nlohmann::json(*r.sessions_freed) : nullptr},
                {"recovery_seconds", opt(r.sessions_recovery_seconds)}};
  }
  return {{"storm", r.storm},
          {"requirement", r.requirement},
          {"unit", r.unit},
          {"intensity", r.intensity},
          {"params", r.params},
          {"status", r.status},
          {"skip_reason", r.skip_reason},
          {"verdict", availability::to_string(r.verdict)},
          {"verdict_why", r.verdict_why},
          {"max_sustained_rate", opt(r.max_sustained_rate)},
          {"degraded_rate", opt(r.degraded_rate)},
          {"failed_rate", opt(r.failed_rate)},
          {"stopped", r.stopped},
          {"recovery",
           {{"measured", r.recovery.measured},
            {"seconds", opt(r.recovery.seconds)},
            {"verdict", r.recovery.verdict},
            {"reset_called", r.recovery.reset_called}}},
          {"sessions", sessions},
          {"tool_limited_steps", tool_limited},
          {"steps", steps},
          {"cycles", s.cycles.size()},
          {"findings", r.findings},
          {"observations", r.observations},
          {"chart_svg", availability::render_availability_svg(s)}};
}

std::string rate(const nlohmann::json& v, const std::string& unit) {
  if (!v.is_number()) return "-";
  return fmt::format("{:.6g} {}", v.get<double>(), unit);
}

std::string availability_class(const std::string& verdict) {
  if (verdict == "available") return "v-evidenced";
  if (verdict == "degraded") return "v-degraded";
  if (verdict == "failed") return "v-findings-open";
  return "v-not-tested";
}

class AvailabilitySection final : public Section {
 public:
  std::string id() const override { return "availability"; }
  std::string title() const override { return "Availability under load"; }

  nlohmann::json build(const Context& c) const override {
    if (!c.availability_run) {
      return {{"tested", false},
              {"run", nullptr},
              {"note", "not tested: the project store holds no availability run (protocrawler dos)"},
              {"storms", nlohmann::json::array()}};
    }
    const auto& plan = c.availability_plan;
    auto get = [&](const char* k) { return plan.is_object() && plan.contains(k) ? plan[k] : nlohmann::json(nullptr); };
    nlohmann::json storms = nlohmann::json::array();
    for (const auto& s : c.availability_storms) storms.push_back(storm_json(s));
    nlohmann::json ef = get("essential_function");
    nlohmann::json base = get("baseline");
    return {{"tested", true},
            {"run", c.availability_run},
            {"started", c.availability_started_utc},
            {"profile", get("profile")},
            {"essential_function", ef.is_object() ? ef : nlohmann::json::object()},
            {"baseline", base.is_object() ? base : nlohmann::json::object()},
            {"thresholds", get("thresholds").is_object() ? get("thresholds") : nlohmann::json::object()},
            {"network_namespace", get("network_namespace").is_object() ? get("network_namespace") : nlohmann::json::object()},
            {"errors", c.availability_errors},
            {"storms", storms}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json&) const override {
    using namespace html;
    if (!p.value("tested", false)) return "<p>" + badge("not tested", "v-not-tested") + " " + esc(text(p["note"])) + "</p>";
    const auto& ef = p["essential_function"];
    const auto& base = p["baseline"];
    std::string out = dl({
        {"availability run", esc(fmt::format("run {} ({})", text(p["run"]), text(p["started"])))},
        {"essential function", esc(fmt::format("{} every {} ms, read through {}", text(ef.value("message", nlohmann::json())),
                                                text(ef.value("period_ms", nlohmann::json())),
                                                text(ef.value("channel_text", ef.value("channel", nlohmann::json())))))},
        {"baseline", esc(fmt::format("{} cycles, p50 {} us, p99 {} us; late after {} us", text(base.value("cycles", nlohmann::json())),
                                      text(base.value("p50_us", nlohmann::json())), text(base.value("p99_us", nlohmann::json())),
                                      text(base.value("late_after_us", nlohmann::json()))))},
    });
    std::vector<std::vector<std::string>> summary;
    for (const auto& s : p["storms"]) {
      const std::string unit = text(s["unit"]);
      const auto& rec = s["recovery"];
      summary.push_back({fmt::format("<a href=\"#storm-{}\">{}</a>", esc(text(s["storm"])), esc(text(s["storm"]))),
                         esc(text(s["requirement"])), badge(text(s["verdict"]), availability_class(text(s["verdict"]))),
                         esc(rate(s["max_sustained_rate"], unit)), esc(rate(s["degraded_rate"], unit)),
                         esc(rate(s["failed_rate"], unit)),
                         esc(rec["seconds"].is_number() ? fmt::format("{:.2f} s ({})", rec["seconds"].get<double>(), text(rec["verdict"]))
                                                        : text(rec["verdict"]).empty() ? "-" : text(rec["verdict"])),
                         esc(text(s["tool_limited_steps"]))});
    }
    out += table({"storm", "requirement", "verdict", "highest sustained", "degraded at", "failed at", "recovery",
                  "tool-limited steps"},
                 summary, "availability");
    for (const auto& s : p["storms"]) {
      const std::string name = text(s["storm"]);
      out += fmt::format("<h3 id=\"storm-{}\">{}</h3>", esc(name), esc(name));
      if (text(s["status"]) == "skipped") {
        out += "<p>" + badge("not run", "v-not-tested") + " " + esc(text(s["skip_reason"])) + "</p>";
        continue;
      }
      std::string params;
      for (const auto& [k, v] : s["params"].items()) params += (params.empty() ? "" : ", ") + k + "=" + text(v);
      out += dl({{"verdict", badge(text(s["verdict"]), availability_class(text(s["verdict"]))) + " " + esc(text(s["verdict_why"]))},
                 {"parameters", esc(params.empty() ? "(defaults)" : params)},
                 {"stepping ended", esc(text(s["stopped"]))}});
      std::vector<std::vector<std::string>> rows;
      for (const auto& st : s["steps"]) {
        rows.push_back({esc(text(st["index"]) + (text(st["kind"]) == "step" ? "" : " " + text(st["kind"]))),
                        esc(fmt::format("{:.6g}", st["offered"].get<double>())),
                        esc(fmt::format("{:.6g}", st["achieved"].get<double>())),
                        esc(fmt::format("{:.0f}%", 100 * st["tool_cpu"].get<double>())),
                        esc(text(st["limit"]).empty() ? "-" : text(st["limit"])),
                        badge(text(st["verdict"]), availability_class(text(st["verdict"]))),
                        esc(fmt::format("{:.1f}% (worst window {:.0f}%)", 100 * st["success_ratio"].get<double>(),
                                        100 * st["worst_window"].get<double>())),
                        esc(fmt::format("{} / {} / {} / {}", text(st["on_time"]), text(st["late"]), text(st["wrong"]),
                                        text(st["missed"]))),
                        esc(fmt::format("{} / {} us", text(st["p50_us"]), text(st["p99_us"])))});
      }
      out += table({"step", "offered", "achieved", "tool CPU", "limit", "verdict", "on time", "on time / late / wrong / missed",
                    "latency p50 / p99"},
                   rows, "steps");
      out += "<figure class=\"availability-chart\">" + text(s["chart_svg"]) +
             "<figcaption>offered and achieved load, essential function on time per window, latency; shaded steps by "
             "verdict, hatched recovery (docs/dos.md, \"Reading the chart\")</figcaption></figure>";
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Section> make_availability_section() { return std::make_unique<AvailabilitySection>(); }

}  // namespace pc::report
