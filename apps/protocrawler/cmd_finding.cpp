// `protocrawler finding status|score ID ...`: remediation status and score overrides.
#include <fmt/core.h>

#include "apps/protocrawler/command.hpp"
#include "apps/protocrawler/finding_replay.hpp"
#include "apps/protocrawler/status_change.hpp"
#include "core/score/cvss31.hpp"
#include "core/store/utc.hpp"

namespace pc::cli {

void add_finding_command(CLI::App& app, Global&) {
  auto* cmd = app.add_subcommand("finding", "Change a finding: its remediation status, its score");
  cmd->require_subcommand(1);

  struct StatusFlags {
    std::string project = "protocrawler.db", status, by, why, expires;
    int64_t id = 0;
  };
  auto sf = std::make_shared<StatusFlags>();
  auto* status = cmd->add_subcommand("status", "Record a dated, attributed status change of a finding");
  status->add_option("ID", sf->id, "The finding's id (see `protocrawler findings`)")->required();
  status->add_option("STATUS", sf->status, kStatuses)->required()->check(CLI::IsMember(
      {"open", "fixed", "verified", "accepted-risk", "false-positive"}));
  status->add_option("--by", sf->by, "Who decides")->required();
  status->add_option("--why", sf->why, "Why")->required();
  status->add_option("--expires", sf->expires, "YYYY-MM-DD: an accepted risk or false positive holds until then");
  status->add_option("--project", sf->project, "Project store (default ./protocrawler.db)");
  status->footer(
      "accepted-risk and false-positive suppress the finding's fingerprint in later campaigns (it\n"
      "stays out of the open findings and of --fail-on); another status lifts the suppression.\n"
      "Export suppressions with `protocrawler suppressions export`.");
  status->callback([sf] {
    auto s = open_store(sf->project);
    auto f = s->finding(sf->id);
    if (!f) throw UserError{fmt::format("no finding {} in {}", sf->id, s->path())};
    std::string err = change_status(*s, *f, sf->status, sf->by, sf->why, sf->expires);
    if (!err.empty()) throw UserError{err};
    fmt::print("finding {}: {} -> {} (by {}: {}){}\n", f->id, f->status, sf->status, sf->by, sf->why,
               sf->expires.empty() ? "" : ", until " + sf->expires);
  });

  struct ScoreFlags {
    std::string project = "protocrawler.db", vector, by, why;
    int64_t id = 0;
    bool clear = false;
  };
  auto sc = std::make_shared<ScoreFlags>();
  auto* score = cmd->add_subcommand("score", "Override a finding's derived CVSS score with a reason (reports show both)");
  score->add_option("ID", sc->id, "The finding's id")->required();
  score->add_option("--vector", sc->vector, "The CVSS 3.1 vector to use, e.g. CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
  score->add_flag("--clear", sc->clear, "Remove the override: the derived score applies again");
  score->add_option("--by", sc->by, "Who decides")->required();
  score->add_option("--why", sc->why, "Why the derived score does not fit")->required();
  score->add_option("--project", sc->project, "Project store (default ./protocrawler.db)");
  score->callback([sc] {
    auto s = open_store(sc->project);
    auto f = s->finding(sc->id);
    if (!f) throw UserError{fmt::format("no finding {} in {}", sc->id, s->path())};
    if (sc->clear == !sc->vector.empty()) throw UserError{"give --vector or --clear"};
    if (sc->clear) {
      s->set_score_override(f->id, "");
      fmt::print("finding {}: override removed (by {}: {}); the derived score {} applies\n", f->id, sc->by, sc->why,
                 f->cvss_vector);
      return;
    }
    std::string err;
    auto v = score::parse_cvss31(sc->vector, err);
    if (!v) throw UserError{fmt::format("--vector: {}", err)};
    const double value = score::base_score(*v);
    nlohmann::json ov = {{"cvss_version", "3.1"}, {"vector", score::to_string(*v)}, {"score", value},
                         {"severity", std::string(score::severity(value))}, {"by", sc->by}, {"why", sc->why},
                         {"utc", store::iso_utc_now()}};
    s->set_score_override(f->id, ov.dump());
    fmt::print("finding {}: score {} ({}) overrides the derived {} ({})\n", f->id, value, score::to_string(*v),
               f->cvss_score.value_or(0), f->cvss_vector);
  });
}

}  // namespace pc::cli
