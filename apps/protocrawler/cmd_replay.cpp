// `protocrawler replay FINDING_ID`: reproduce a finding from its stored reproducer.
#include <fmt/core.h>

#include <atomic>

#include "apps/protocrawler/command.hpp"
#include "core/campaign/replayer.hpp"
#include "core/oracle/finding_kind.hpp"
#include "core/store/store.hpp"

namespace pc::cli {

std::unique_ptr<store::Store> open_store(const std::string& project);

void add_replay_command(CLI::App& app, Global& g) {
  struct Flags {
    int64_t finding = 0;
    std::string project = "protocrawler.db", target, target_cmd, target_ready = "listening on";
    uint32_t count = 1;
    bool allow_remote = false;
    int64_t recovery_ms = -1, deadline_ms = -1, max_latency_ms = -1;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("replay", "Reproduce a finding on a target from its stored reproducer");
  cmd->add_option("FINDING_ID", f->finding, "The finding's id (see `protocrawler findings`)")->required();
  cmd->add_option("--project", f->project, "Project store (default ./protocrawler.db)");
  cmd->add_option("--target", f->target, "tcp://HOST:PORT of the device");
  cmd->add_option("--target-cmd", f->target_cmd, "Start (and restart) a local target for the replay");
  cmd->add_option("--target-ready", f->target_ready, "Text the target prints when ready");
  cmd->add_flag("--allow-remote", f->allow_remote, "Declare a non-loopback target a test installation");
  cmd->add_option("--count", f->count, "Replays (default 1)");
  cmd->add_option("--recovery-ms", f->recovery_ms, "Recovery window (default: the finding's campaign's)");
  cmd->add_option("--deadline-ms", f->deadline_ms, "Per-message deadline (default: the finding's campaign's)");
  cmd->add_option("--max-latency-ms", f->max_latency_ms, "A healthy probe answers faster (default: the campaign's)");
  cmd->footer("Exit status: 0 when it reproduced at least once, 1 when it did not, 2 on errors.");
  cmd->callback([&g, f] {
    auto s = open_store(f->project);
    auto finding = s->finding(f->finding);
    if (!finding) throw UserError{fmt::format("no finding {} in {}", f->finding, s->path())};
    auto details = nlohmann::json::parse(finding->details_json, nullptr, false);
    if (details.is_discarded() || !details.contains("reproducer")) {
      throw UserError{fmt::format("finding {} has no stored reproducer", f->finding)};
    }
    auto model = load_model(g, finding->model);
    campaign::Reproducer rep;
    std::string err;
    if (!campaign::Reproducer::from_json(details["reproducer"], *model, rep, err)) throw UserError{err};
    auto kind = oracle::kind_from_name(finding->kind);
    if (!kind) throw UserError{"unknown finding kind " + finding->kind};
    campaign::Options o;
    o.target = f->target;
    o.target_cmd = f->target_cmd;
    o.target_ready = f->target_ready;
    o.allow_remote = f->allow_remote;
    // judge as the campaign that made the finding judged, unless told otherwise
    const auto& th = details.contains("thresholds") ? details["thresholds"] : nlohmann::json::object();
    o.thresholds.recovery_window =
        std::chrono::milliseconds(f->recovery_ms >= 0 ? f->recovery_ms : th.value("recovery_window_ms", int64_t{15000}));
    o.thresholds.max_latency =
        std::chrono::milliseconds(f->max_latency_ms >= 0 ? f->max_latency_ms : th.value("max_latency_ms", int64_t{2000}));
    const auto deadline = f->deadline_ms >= 0 ? std::chrono::microseconds(f->deadline_ms * 1000)
                                              : std::chrono::microseconds(th.value("case_deadline_us", int64_t{250000}));
    if (o.target.empty() && o.target_cmd.empty()) {
      o.target = details.value("target", "");
      if (o.target.empty()) throw UserError{"give --target (or --target-cmd)"};
    }
    campaign::TargetControl target(*model, o, "replay-target.log");
    if (!target.start(err)) throw UserError{err};
    campaign::Replayer replayer(*model, target, deadline);
    // the device's data map as discovery saw it, for findings judged against it
    oracle::DataMap map;
    if (details.contains("data_map")) {
      for (const auto& r : model->session.discovery.ranges) {
        if (!details["data_map"].contains(r.table)) continue;
        const auto& t = details["data_map"][r.table];
        map.tables[r.table] = {t.value("first", int64_t{0}), t.value("last", int64_t{-1}), r.rule};
      }
    }
    replayer.set_data_map(&map);
    fmt::print("finding {}: {}\nreplaying {} message(s) {} time(s) on {}\n", finding->id, finding->title, rep.messages(),
               f->count, target.address().text());
    uint32_t reproduced = 0;
    for (uint32_t i = 0; i < f->count; ++i) {
      campaign::ReplayOutcome out = replayer.replay(rep, *kind);
      if (!out.note.empty()) fmt::print("  replay {}: {}\n", i + 1, out.note);
      reproduced += out.reproduced;
      std::string what = out.reproduced ? "reproduced" : "did not reproduce";
      fmt::print("  replay {}: {} ({})\n", i + 1, what, out.verdict.detail.empty() ? out.verdict.reaction : out.verdict.detail);
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
