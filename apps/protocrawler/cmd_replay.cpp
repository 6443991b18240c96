// `protocrawler replay FINDING_ID`: reproduce a finding from its stored reproducer.
#include <fmt/core.h>

#include "apps/protocrawler/command.hpp"
#include "apps/protocrawler/finding_replay.hpp"

namespace pc::cli {

void add_replay_command(CLI::App& app, Global& g) {
  struct Flags {
    int64_t finding = 0;
    std::string project = "protocrawler.db";
    ReplayTarget where;
    uint32_t count = 1;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("replay", "Reproduce a finding on a target from its stored reproducer");
  cmd->add_option("FINDING_ID", f->finding, "The finding's id (see `protocrawler findings`)")->required();
  cmd->add_option("--project", f->project, "Project store (default ./protocrawler.db)");
  cmd->add_option("--target", f->where.target, "tcp://HOST:PORT of the device");
  cmd->add_option("--target-cmd", f->where.target_cmd, "Start (and restart) a local target for the replay");
  cmd->add_option("--target-ready", f->where.target_ready, "Text the target prints when ready");
  cmd->add_flag("--allow-remote", f->where.allow_remote, "Declare a non-loopback target a test installation");
  cmd->add_option("--count", f->count, "Replays (default 1)");
  cmd->add_option("--recovery-ms", f->where.recovery_ms, "Recovery window (default: the finding's campaign's)");
  cmd->add_option("--deadline-ms", f->where.deadline_ms, "Per-message deadline (default: the finding's campaign's)");
  cmd->add_option("--max-latency-ms", f->where.max_latency_ms,
                  "A healthy probe answers faster (default: the campaign's)");
  cmd->footer("Exit status: 0 when it reproduced at least once, 1 when it did not, 2 on errors.");
  cmd->callback([&g, f] {
    auto s = open_store(f->project);
    auto finding = s->finding(f->finding);
    if (!finding) throw UserError{fmt::format("no finding {} in {}", f->finding, s->path())};
    FindingReplay job(g, *finding, f->where);
    job.start();
    fmt::print("finding {}: {}\nreplaying {} message(s) {} time(s) on {}\n", finding->id, finding->title,
               job.messages(), f->count, job.address());
    uint32_t reproduced = 0;
    for (uint32_t i = 0; i < f->count; ++i) {
      campaign::ReplayOutcome out = job.replay_once();
      if (!out.note.empty()) fmt::print("  replay {}: {}\n", i + 1, out.note);
      reproduced += out.reproduced;
      std::string what = out.reproduced ? "reproduced" : "did not reproduce";
      fmt::print("  replay {}: {} ({})\n", i + 1, what,
                 out.verdict.detail.empty() ? out.verdict.reaction : out.verdict.detail);
      for (const auto& rx : out.raw) {
        std::string hex;
        for (uint8_t b : rx.bytes) hex += fmt::format("{:02x}", b);
        fmt::print("    answer: {} {}\n", transport::to_string(rx.outcome), hex);
      }
    }
    fmt::print("reproduced {} of {}\n", reproduced, f->count);
    if (reproduced == 0) throw UserError{"it did not reproduce", 1};
  });
}

}  // namespace pc::cli
