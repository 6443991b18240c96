// `protocrawler retest`: every open finding's reproducer replayed R times on a fresh or
// reset target; a finding that reproduced 0 times out of R is marked fixed, one that
// reproduced gets a dated "still open" entry. Remediation evidence for a new firmware.
#include <fmt/core.h>

#include <algorithm>
#include <iostream>

#include "apps/protocrawler/command.hpp"
#include "apps/protocrawler/finding_replay.hpp"
#include "apps/protocrawler/status_change.hpp"
#include "core/observe/process_monitor.hpp"

namespace pc::cli {

void add_retest_command(CLI::App& app, Global& g) {
  struct Flags {
    std::string project = "protocrawler.db", by = "protocrawler retest", firmware;
    ReplayTarget where;
    uint32_t count = 3;
    std::vector<int64_t> only;
    bool json = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "retest", "Replay every open finding R times; mark it fixed when it never reproduces");
  cmd->add_option("--project", f->project, "Project store (default ./protocrawler.db)");
  cmd->add_option("--target", f->where.target,
                  "tcp://HOST:PORT of the device (default: each finding's own)");
  cmd->add_option("--target-cmd", f->where.target_cmd,
                  "Start (and restart before each replay) a local target");
  cmd->add_option("--target-ready", f->where.target_ready, "Text the target prints when ready");
  cmd->add_option("--reset-cmd", f->where.reset_cmd,
                  "Run before each finding's replays (a power cycle, a VM snapshot) and when the "
                  "device does not come back");
  cmd->add_flag("--allow-remote", f->where.allow_remote,
                "Declare a non-loopback target a test installation");
  cmd->add_option("--count,-R", f->count, "Replays per finding (default 3)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--finding", f->only, "Only these open findings (repeatable)");
  cmd->add_option("--by", f->by, "Who retests (the status history's author)");
  cmd->add_option("--firmware", f->firmware, "The firmware version retested, for the history");
  cmd->add_option("--recovery-ms", f->where.recovery_ms,
                  "Recovery window (default: each finding's campaign's)")
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}));
  cmd->add_option("--deadline-ms", f->where.deadline_ms,
                  "Per-message deadline (default: each finding's campaign's)")
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}));
  cmd->add_flag("--json", f->json, "One JSON document with every finding's result");
  cmd->footer(
      "A finding is marked fixed only when it reproduced 0 times out of R. Suppressed findings\n"
      "(accepted-risk, false-positive) and fixed ones are not retested.\n"
      "Exit status: 0 when none reproduced, 1 when some still reproduce, 2 on errors (a\n"
      "finding asked for that is not open, a finding whose replays could not all run).");
  cmd->callback([&g, f] {
    auto s = open_store(f->project);
    const auto findings = s->findings();
    for (int64_t id : f->only) {
      auto it = std::find_if(findings.begin(), findings.end(), [&](const auto& x) { return x.id == id; });
      if (it == findings.end()) throw UserError{fmt::format("no finding {} in {}", id, s->path())};
      if (it->status != "open") {
        throw UserError{fmt::format("finding {} is {}, not open: only open findings are retested", id, it->status)};
      }
    }
    nlohmann::json results = nlohmann::json::array();
    size_t still_open = 0, fixed = 0, not_retested = 0;
    for (const auto& finding : findings) {
      if (finding.status != "open") continue;
      if (!f->only.empty() &&
          std::find(f->only.begin(), f->only.end(), finding.id) == f->only.end())
        continue;
      if (!f->where.reset_cmd.empty()) {
        std::string out;
        observe::run_hook(f->where.reset_cmd,
                          {{"PROTOCRAWLER_FINDING", std::to_string(finding.id)}},
                          std::chrono::milliseconds(60000), &out);
      }
      FindingReplay job(g, finding, f->where);
      job.start();
      uint32_t reproduced = 0, ran = 0;
      std::string notes;
      for (uint32_t i = 0; i < f->count; ++i) {
        campaign::ReplayOutcome out = job.replay_once();
        if (!out.note.empty()) {
          notes += (notes.empty() ? "" : "; ") + out.note;
          continue;  // the replay did not run: it counts for neither side
        }
        ++ran;
        reproduced += out.reproduced;
      }
      const std::string on =
          f->firmware.empty() ? job.address() : "firmware " + f->firmware + " at " + job.address();
      std::string verdict;
      if (ran < f->count) {
        verdict = "not retested";
        ++not_retested;
        if (!f->json)
          fmt::print("finding {}: only {} of {} replays ran ({}); status unchanged\n", finding.id,
                     ran, f->count, notes);
      } else if (reproduced == 0) {
        verdict = "fixed";
        ++fixed;
        std::string err =
            change_status(*s, finding, "fixed", f->by,
                          fmt::format("retest: reproduced 0 of {} on {}", f->count, on), "");
        if (!err.empty()) throw UserError{err};
      } else {
        verdict = "open";
        ++still_open;
        std::string err = change_status(
            *s, finding, "open", f->by,
            fmt::format("retest: reproduced {} of {} on {}", reproduced, f->count, on), "");
        if (!err.empty()) throw UserError{err};
      }
      if (!f->json) {
        fmt::print("finding {}: reproduced {} of {}: {}  ({})\n", finding.id, reproduced, ran,
                   verdict, finding.title);
      }
      results.push_back({{"id", finding.id},
                         {"title", finding.title},
                         {"replays", ran},
                         {"reproduced", reproduced},
                         {"status", verdict},
                         {"note", notes}});
    }
    if (f->json) {
      std::cout
          << nlohmann::json{{"findings", results}, {"fixed", fixed}, {"open", still_open}}.dump(1)
          << "\n";
    } else if (results.empty()) {
      fmt::print("no open findings to retest in {}\n", s->path());
    }
    if (not_retested) {
      throw UserError{fmt::format("{} finding(s) could not be retested: their replays did not all run", not_retested)};
    }
    if (still_open) throw UserError{fmt::format("{} finding(s) still reproduce", still_open), 1};
  });
}

}  // namespace pc::cli
