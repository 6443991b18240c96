// Scope: the component (declared, and what it said of itself), its interfaces and
// protocols, the security level targeted, who tested and how independent they are, when.
#include <fmt/format.h>

#include "core/report/html.hpp"
#include "core/report/section.hpp"
#include "core/trace/requirements.hpp"

namespace pc::report {
namespace {

double seconds_between(const std::string& a, const std::string& b) {
  // ISO 8601 "YYYY-MM-DDTHH:MM:SS.mmmZ", same day or not: via days since epoch
  auto parse = [](const std::string& t, double& out) {
    int y, mo, d, h, mi;
    double s;
    if (std::sscanf(t.c_str(), "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &s) != 6) return false;
    // days from civil (Howard Hinnant's algorithm)
    y -= mo <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const double days = era * 146097.0 + doe - 719468.0;
    out = days * 86400.0 + h * 3600.0 + mi * 60.0 + s;
    return true;
  };
  double x = 0, y = 0;
  if (!parse(a, x) || !parse(b, y)) return 0;
  return y - x;
}

class ScopeSection final : public Section {
 public:
  std::string id() const override { return "scope"; }
  std::string title() const override { return "Scope"; }

  nlohmann::json build(const Context& c) const override {
    const auto& sc = c.fact("scope");
    const auto& proto = c.fact("protocol");
    const auto& ident = c.fact("identity");
    auto s = [&](const nlohmann::json& j, const char* k) { return j.is_object() ? j.value(k, "") : std::string(); };
    nlohmann::json said = ident.is_object() && ident.contains("said") ? ident["said"] : nlohmann::json::object();
    nlohmann::json mismatches =
        ident.is_object() && ident.contains("mismatches") ? ident["mismatches"] : nlohmann::json::array();
    const int sl = sc.is_object() ? sc.value("target_sl", 0) : 0;
    const int depth = sc.is_object() ? sc.value("profile_security_level", 0) : 0;
    return {{"component",
             {{"name", c.target.name},
              {"type", s(sc, "component_type").empty() ? c.target.component_type : s(sc, "component_type")},
              {"vendor", s(sc, "vendor")},
              {"product", s(sc, "product")},
              {"firmware", s(sc, "firmware")},
              {"said", said},
              {"identity_mismatches", mismatches}}},
            {"interfaces",
             nlohmann::json::array({{{"address", c.target.address},
                                     {"transport", s(proto, "transport")},
                                     {"port", proto.is_object() ? proto.value("port", 0) : 0},
                                     {"protocol", c.run.model_name}}})},
            {"protocols",
             nlohmann::json::array({{{"name", c.run.model_name},
                                     {"title", s(proto, "title")},
                                     {"specification", s(proto, "spec")},
                                     {"model_sha256", c.run.model_digest}}})},
            {"target_security_level", sl},
            {"evidence_depth",
             depth ? fmt::format("profile {}: the depth this project sets for SL {}", c.run.profile, depth)
                   : fmt::format("profile {}: below the depth this project sets for SL 1", c.run.profile)},
            {"tester", s(sc, "tester")},
            {"independence", s(sc, "independence")},
            {"independence_statement", trace::svv5_statement(s(sc, "tester"), s(sc, "independence"))},
            {"started", c.run.started_utc},
            {"ended", c.run.ended_utc},
            {"duration_seconds", c.run.ended_utc.empty() ? 0.0 : seconds_between(c.run.started_utc, c.run.ended_utc)}};
  }

  std::string html(const nlohmann::json& p, const nlohmann::json&) const override {
    using namespace html;
    const auto& comp = p["component"];
    auto said = [&](const char* k) {
      std::string v = comp["said"].is_object() ? comp["said"].value(k, "") : "";
      return v.empty() ? "" : " (the device says: " + esc(v) + ")";
    };
    std::string out = dl({{"Component", esc(text(comp["name"]))},
                          {"Component type", esc(text(comp["type"]))},
                          {"Vendor", esc(text(comp["vendor"])) + said("vendor")},
                          {"Product", esc(text(comp["product"])) + said("product")},
                          {"Firmware", esc(text(comp["firmware"])) + said("firmware")},
                          {"Target security level", p["target_security_level"].get<int>()
                                                        ? esc(fmt::format("SL {}", p["target_security_level"].get<int>()))
                                                        : "not stated"},
                          {"Evidence depth", esc(text(p["evidence_depth"]))},
                          {"Tester", esc(text(p["tester"]))},
                          {"Independence", esc(text(p["independence_statement"]))},
                          {"Dates", esc(fmt::format("{} to {}", text(p["started"]), text(p["ended"])))},
                          {"Duration", esc(fmt::format("{:.0f} s", p["duration_seconds"].get<double>()))}});
    for (const auto& m : comp["identity_mismatches"]) {
      out += "<p class=\"warn\">" +
             esc(fmt::format("Warning: the device says its {} is '{}', but '{}' was declared.", text(m["part"]),
                             text(m["said"]), text(m["declared"]))) +
             "</p>";
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : p["interfaces"]) {
      rows.push_back({esc(text(i["address"])), esc(text(i["transport"])), esc(text(i["port"])), esc(text(i["protocol"]))});
    }
    out += "<h3>Interfaces</h3>" + table({"address", "transport", "standard port", "protocol"}, rows);
    rows.clear();
    for (const auto& i : p["protocols"]) {
      rows.push_back({esc(text(i["name"])), esc(text(i["title"])), esc(text(i["specification"])),
                      "<code>" + esc(text(i["model_sha256"])) + "</code>"});
    }
    out += "<h3>Protocols</h3>" + table({"model", "protocol", "specification", "model SHA-256"}, rows);
    return out;
  }
};

}  // namespace

std::unique_ptr<Section> make_scope_section() { return std::make_unique<ScopeSection>(); }

}  // namespace pc::report
