// `protocrawler dos`: availability under load (docs/dos.md). The storm catalogue against
// a live device while an essential-function monitor reads a process value; each storm
// stepped up until the function degrades, then recovery, verdicts and findings in the
// project store.
#include <fmt/core.h>

#include <cmath>
#include <csignal>
#include <iostream>

#include "apps/protocrawler/command.hpp"
#include "core/availability/availability_run.hpp"
#include "core/availability/message_pools.hpp"
#include "core/availability/storm_catalogue.hpp"
#include "core/campaign/campaign_file.hpp"

namespace pc::cli {
namespace {

std::atomic<bool> g_stop{false};  // SIGINT/SIGTERM: the current storm ends at once
extern "C" void on_dos_signal(int) { g_stop.store(true); }

struct DosFlags {
  std::string model = "modbus-tcp", target, target_name, profile, project = "protocrawler.db", out, target_cmd,
              target_ready = "listening on", reset_cmd, writable, hook_before, hook_after, hook_failure;
  int sl = 0;
  std::vector<std::string> storms, params, ef_set, exclude;
  std::vector<int64_t> unit_ids;
  double start_rate = 0, step_factor = 0, max_rate = 0, hold_seconds = 0, soak_rate = 0, soak_seconds = 0,
         start_level = 0, max_level = 0, min_success = 0, latency_factor = 0, baseline_seconds = 2;
  uint32_t past_degraded = 1, confirm = 1, recovery_cycles = 5;
  std::string ef_message, ef_value, ef_range, ef_channel = "connection";
  uint32_t ef_moves = 0;
  int64_t ef_period_ms = 100, min_deadline_ms = 0, max_latency_ms = 0, recovery_ms = 0, recovery_grace_ms = 0;
  bool allow_remote = false, read_only = false, json = false, quiet = false, no_netns = false, list = false,
       dry_run = false;
};

void list_storms() {
  for (const auto& e : availability::catalogue()) {
    const auto& i = e.info();
    fmt::print("{:<20} {:<8} {:<14} {}{}\n", i.name, i.requirement, i.unit, i.doc, i.needs_netns ? " (root)" : "");
    for (const auto& p : i.params) fmt::print("{:<22}{}={}: {}\n", "", p.name, p.default_value, p.doc);
  }
  fmt::print("groups: slow_peer, large_request, network_storms, all\n");
}

std::pair<std::string, int64_t> parse_set(const std::string& s, const char* flag) {
  auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0) throw UserError{fmt::format("{} takes PATH=VALUE, not '{}'", flag, s)};
  char* end = nullptr;
  long long v = std::strtoll(s.c_str() + eq + 1, &end, 0);
  if (*end != '\0' || eq + 1 == s.size()) throw UserError{fmt::format("{} {}: the value is not an integer", flag, s)};
  return {s.substr(0, eq), v};
}

availability::AvailabilityOptions availability_options(CLI::App* cmd, const DosFlags& f,
                                                       const generate::Profile& profile) {
  auto given = [&](const char* name) { return cmd->count(name) > 0; };
  availability::AvailabilityOptions a;
  std::string err;
  if (!availability::apply_profile_slot(profile.dos_yaml, a, err)) throw UserError{profile.file + ": " + err};
  if (!f.storms.empty()) {
    a.storms.clear();
    for (const auto& s : f.storms) {
      auto names = availability::expand_storm_name(s);
      if (names.empty()) throw UserError{fmt::format("--storm: no storm named '{}' (see --list-storms)", s)};
      a.storms.insert(a.storms.end(), names.begin(), names.end());
    }
  }
  if (a.storms.empty()) {
    throw UserError{fmt::format("the profile {} enables no storm: name some with --storm (see --list-storms)", profile.name)};
  }
  for (const auto& p : f.params) {
    auto dot = p.find('.'), eq = p.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot) {
      throw UserError{fmt::format("--param takes STORM.NAME=VALUE, not '{}'", p)};
    }
    std::string storm = p.substr(0, dot), name = p.substr(dot + 1, eq - dot - 1);
    const auto* e = availability::find_storm(storm);
    if (!e) throw UserError{fmt::format("--param {}: no storm named '{}'", p, storm)};
    a.params[storm][name] = p.substr(eq + 1);
    availability::StormParams sp(e->info(), a.params[storm]);
    if (!sp.check(err)) throw UserError{"--param: " + err};
  }
  if (given("--start-rate")) a.rate_plan.start = f.start_rate;
  if (given("--step-factor")) a.rate_plan.factor = a.level_plan.factor = f.step_factor;
  if (given("--max-rate")) a.rate_plan.ceiling = f.max_rate;
  if (given("--start-level")) a.level_plan.start = f.start_level;
  if (given("--max-level")) a.level_plan.ceiling = f.max_level;
  if (given("--hold-seconds")) {
    a.rate_plan.hold = a.level_plan.hold = std::chrono::milliseconds(static_cast<int64_t>(f.hold_seconds * 1000));
  }
  a.rate_plan.past_degraded = a.level_plan.past_degraded = f.past_degraded;
  if (a.rate_plan.factor <= 1) throw UserError{fmt::format("--step-factor {:g} must be above 1", a.rate_plan.factor)};
  if (a.rate_plan.start <= 0 || a.rate_plan.ceiling < a.rate_plan.start) {
    throw UserError{fmt::format("the rate steps from {:g} to {:g} (--start-rate, --max-rate): the start must be above 0 "
                                "and at most the ceiling",
                                a.rate_plan.start, a.rate_plan.ceiling)};
  }
  if (a.level_plan.start < 1 || a.level_plan.ceiling < a.level_plan.start) {
    throw UserError{fmt::format("the level steps from {:g} to {:g} (--start-level, --max-level): the start must be 1 or "
                                "more and at most the ceiling",
                                a.level_plan.start, a.level_plan.ceiling)};
  }
  if (a.rate_plan.hold.count() < 100) throw UserError{"--hold-seconds is 0.1 or more"};
  if (given("--soak-rate")) {
    if (f.soak_rate <= 0) throw UserError{"--soak-rate must be above 0"};
    a.soak_rate = f.soak_rate;
  }
  if (given("--soak-seconds")) a.soak = std::chrono::milliseconds(static_cast<int64_t>(f.soak_seconds * 1000));
  a.ef.message = f.ef_message;
  for (const auto& s : f.ef_set) a.ef.set.push_back(parse_set(s, "--ef-set"));
  if (!a.ef.message.empty() && a.ef.set.empty()) {
    // a named message with no values: its defaults
  }
  a.ef.value = f.ef_value;
  if (!f.ef_range.empty()) {
    auto dots = f.ef_range.find("..");
    if (dots == std::string::npos) throw UserError{"--ef-range takes LOW..HIGH"};
    a.ef.range = {std::strtoll(f.ef_range.substr(0, dots).c_str(), nullptr, 0),
                  std::strtoll(f.ef_range.substr(dots + 2).c_str(), nullptr, 0)};
  }
  a.ef.moves_within = f.ef_moves;
  if (f.ef_period_ms < 10) throw UserError{"--ef-period-ms is 10 or more"};
  a.ef.period = std::chrono::milliseconds(f.ef_period_ms);
  a.ef.channel = f.ef_channel;
  if ((a.ef.range || a.ef.moves_within) && a.ef.value.empty() && a.ef.channel.rfind("cmd:", 0) != 0) {
    throw UserError{"--ef-range and --ef-moves check a value: name it with --ef-value"};
  }
  a.baseline = std::chrono::milliseconds(static_cast<int64_t>(f.baseline_seconds * 1000));
  a.confirm = f.confirm;
  a.recovery_cycles = std::max<uint32_t>(1, f.recovery_cycles);
  a.use_netns = !f.no_netns;
  return a;
}

campaign::Options campaign_options(CLI::App* cmd, const DosFlags& f) {
  auto given = [&](const char* name) { return cmd->count(name) > 0; };
  campaign::Options o;
  o.model = f.model;
  o.target = f.target;
  o.target_name = f.target_name;
  o.allow_remote = f.allow_remote;
  o.project = f.project;
  o.out = f.out;
  o.target_cmd = f.target_cmd;
  o.target_ready = f.target_ready;
  o.reset_cmd = f.reset_cmd;
  o.read_only = f.read_only;
  if (given("--writable") && !campaign::parse_ranges(f.writable, o.writable)) {
    throw UserError{"--writable takes ranges like 0-99,200-299"};
  }
  o.unit_ids = f.unit_ids;
  for (const auto& x : f.exclude) {
    campaign::Exclusion e;
    if (!campaign::parse_exclusion(x, e)) throw UserError{fmt::format("--exclude '{}': use MESSAGE[.FIELD[=VALUE]]", x)};
    o.exclusions.push_back(e);
  }
  o.json = f.json;
  o.quiet = f.quiet;
  if (given("--min-deadline-ms")) o.thresholds.min_deadline = std::chrono::milliseconds(f.min_deadline_ms);
  if (given("--max-latency-ms")) o.thresholds.max_latency = std::chrono::milliseconds(f.max_latency_ms);
  if (given("--recovery-ms")) o.thresholds.recovery_window = std::chrono::milliseconds(f.recovery_ms);
  if (given("--recovery-grace-ms")) o.thresholds.recovery_grace = std::chrono::milliseconds(f.recovery_grace_ms);
  if (given("--min-success")) o.thresholds.min_success_ratio = f.min_success;
  if (given("--latency-factor")) o.thresholds.latency_factor = f.latency_factor;
  o.hooks.before_campaign = f.hook_before;
  o.hooks.after_campaign = f.hook_after;
  o.hooks.on_failure = f.hook_failure;
  return o;
}

std::string rate_text(const std::optional<double>& v) { return v ? fmt::format("{:g}", *v) : "-"; }

void print_summary(const availability::AvailabilitySummary& s) {
  fmt::print("essential function: {} (baseline p99 {} us, late after {} us)\n",
             s.baseline.value("channel", ""), s.baseline.value("p99_us", 0), s.baseline.value("late_after_us", 0));
  fmt::print("{:<20} {:<11} {:>10} {:>10} {:>10} {:>9}  {}\n", "storm", "verdict", "sustained", "degraded", "failed",
             "recovery", "unit / note");
  for (const auto& r : s.storms) {
    if (r.status == "skipped") {
      fmt::print("{:<20} {:<11} {}\n", r.storm, "skipped", r.skip_reason);
      continue;
    }
    fmt::print("{:<20} {:<11} {:>10} {:>10} {:>10} {:>9}  {} ({})\n", r.storm, availability::to_string(r.verdict),
               rate_text(r.max_sustained_rate), rate_text(r.degraded_rate), rate_text(r.failed_rate),
               r.recovery.seconds ? fmt::format("{:.2f} s", *r.recovery.seconds) : "-", r.unit, r.stopped);
    if (r.sessions_before_refusal) {
      fmt::print("{:<22}{} sessions before a refusal; peers {}; new sessions {}\n", "", *r.sessions_before_refusal,
                 r.vanished ? "vanished" : "closed",
                 !r.sessions_freed ? "not checked" : *r.sessions_freed ? "served again" : "still refused");
    }
    for (auto id : r.findings) fmt::print("{:<22}finding {}: {}\n", "", id, r.verdict_why);
  }
  for (const auto& o : s.observations) fmt::print("observation: {}\n", o);
  fmt::print("run {} in {}\n", s.run_id, s.store_path);
}

int run_dos(const Global& g, CLI::App* cmd, const DosFlags& f) {
  if (f.list) {
    list_storms();
    return 0;
  }
  if (f.target.empty() && f.target_cmd.empty() && !f.dry_run) {
    throw UserError{"give --target tcp://HOST:PORT (or --target-cmd that starts a local target)"};
  }
  generate::Profile profile;
  std::string err;
  const std::string pname = f.sl ? fmt::format("sl{}", f.sl) : f.profile.empty() ? "sl1" : f.profile;
  if (!generate::load_profile(pname, profile, err)) throw UserError{err};
  campaign::Options o = campaign_options(cmd, f);
  availability::AvailabilityOptions a = availability_options(cmd, f, profile);
  auto model = load_model(g, o.model);
  if (f.dry_run) {
    // what would be sent, after the safety rules; nothing is contacted
    campaign::Safety safety(*model, o);
    availability::PoolRequest valid;
    if (!a.ef.message.empty()) {
      valid.message = model->find_message(a.ef.message, model::Direction::Request);
      if (valid.message == model::kNone) throw UserError{fmt::format("the model has no request '{}'", a.ef.message)};
      valid.set = a.ef.set;
    }
    auto pools = availability::build_pools(*model, profile, safety, valid);
    fmt::print("valid requests: {} x {}\n", pools.valid.size(), pools.valid_name.empty() ? "none" : pools.valid_name);
    fmt::print("malformed requests: {} cases of the {} catalogue\n", pools.malformed.size(), profile.name);
    for (size_t i = 0; i < pools.largest.size(); ++i) {
      fmt::print("largest: {} ({} bytes)\n", pools.largest_names[i], pools.largest[i].size());
    }
    for (const auto& s : a.storms) {
      const auto& i = availability::find_storm(s)->info();
      const auto& p = i.intensity == availability::Intensity::Rate ? a.rate_plan : a.level_plan;
      fmt::print("{}: {} from {:g} to {:g} {}, x{:g} per step, {} ms each{}\n", s, i.requirement, p.start, p.ceiling,
                 i.unit, p.factor, p.hold.count(), i.needs_netns ? " (root: the tool's network namespace)" : "");
    }
    return 0;
  }
  std::signal(SIGINT, on_dos_signal);
  std::signal(SIGTERM, on_dos_signal);
  availability::AvailabilityRun run(o, a, model, profile);
  if (!f.json && !f.quiet) run.on_progress([](const std::string& line) { fmt::print(stderr, "{}\n", line); });
  availability::AvailabilitySummary s = run.run(g_stop);
  if (f.json) {
    std::cout << s.to_json().dump() << "\n";
  } else if (s.ok) {
    print_summary(s);
  }
  if (!s.ok && !g_stop.load()) throw UserError{s.error.empty() ? "the availability run failed" : s.error, 2};
  if (g_stop.load()) return 130;
  return 0;
}

// A number in [lo, hi]; NaN and infinities are refused too.
CLI::Validator finite_in(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double v = 0;
        try {
          size_t used = 0;
          v = std::stod(text, &used);
          if (used != text.size()) return "not a number: " + text;
        } catch (const std::exception&) {
          return "not a number: " + text;
        }
        if (!std::isfinite(v) || v < lo || v > hi) return fmt::format("{} is not in {} .. {}", text, lo, hi);
        return {};
      },
      fmt::format("{} .. {}", lo, hi));
}

}  // namespace

void add_dos_command(CLI::App& app, Global& g) {
  auto f = std::make_shared<DosFlags>();
  auto* cmd = app.add_subcommand("dos", "Availability under load: storms against a device while its essential function is watched");
  cmd->add_flag("--list-storms", f->list, "Print the storm catalogue and exit");
  cmd->add_option("--model", f->model, "Protocol model by name or file (default modbus-tcp)");
  cmd->add_option("--target", f->target, "tcp://HOST:PORT; only 127.0.0.0/8 and ::1 unless --allow-remote");
  cmd->add_option("--target-name", f->target_name, "A name for the target in the project store");
  cmd->add_flag("--allow-remote", f->allow_remote, "Declare a non-loopback target a test installation");
  cmd->add_option("--target-cmd", f->target_cmd, "Start this local target and watch it");
  cmd->add_option("--target-ready", f->target_ready, "Text the target prints when ready (default 'listening on')");
  cmd->add_option("--reset-cmd", f->reset_cmd, "Run this when the device does not come back by itself");
  cmd->add_option("--sl", f->sl, "Storms and rates of the profile slN (1..4)")->check(CLI::Range(1, 4));
  cmd->add_option("--profile", f->profile, "Depth profile by name or file (default sl1): its dos slot");
  cmd->add_option("--storm", f->storms, "A storm or group to run (repeatable; default: the profile's); see --list-storms");
  cmd->add_option("--param", f->params, "A storm parameter: STORM.NAME=VALUE (repeatable)");
  cmd->add_option("--start-rate", f->start_rate, "First rate of rate storms (profile; sl1: 10)")
      ->check(finite_in(0.01, 1e9));
  cmd->add_option("--step-factor", f->step_factor, "Each step multiplies the rate by this (2)")
      ->check(finite_in(1.01, 1000));
  cmd->add_option("--max-rate", f->max_rate, "Ceiling of rate storms (profile; sl1: 100)")
      ->check(finite_in(0.01, 1e9));
  cmd->add_option("--start-level", f->start_level, "First level of level storms: sessions, slow peers (1)")
      ->check(finite_in(1, 1e6));
  cmd->add_option("--max-level", f->max_level, "Ceiling of level storms (profile; sl1: 64)")
      ->check(finite_in(1, 1e6));
  cmd->add_option("--hold-seconds", f->hold_seconds, "How long each step lasts (5)")
      ->check(finite_in(0.1, 86400));
  cmd->add_option("--past-degraded", f->past_degraded, "Steps after the first degraded one, to find the failing rate (1)");
  cmd->add_option("--soak-rate", f->soak_rate, "A soak: this one rate (or level) instead of stepping")
      ->check(finite_in(0.01, 1e9));
  cmd->add_option("--soak-seconds", f->soak_seconds, "The soak's duration (with --soak-rate), or a soak at the highest sustained rate after stepping")
      ->check(finite_in(0.1, 604800));
  cmd->add_option("--ef-message", f->ef_message, "The essential function's request message (default: the model's probe)");
  cmd->add_option("--ef-set", f->ef_set, "A field of that request: PATH=VALUE (repeatable)");
  cmd->add_option("--ef-value", f->ef_value, "The answer field holding the process value, e.g. pdu.values[0]");
  cmd->add_option("--ef-range", f->ef_range, "The value's declared range LOW..HIGH: outside it is wrong");
  cmd->add_option("--ef-moves", f->ef_moves, "The value must change within this many cycles: unchanged longer is wrong");
  cmd->add_option("--ef-period-ms", f->ef_period_ms, "The monitor's cycle (100)")
      ->check(finite_in(10, 3600000));
  cmd->add_option("--ef-channel", f->ef_channel,
                  "connection (opened before the storm), tcp://HOST:PORT (another address), or cmd:COMMAND");
  cmd->add_option("--baseline-seconds", f->baseline_seconds, "The essential function alone before the first storm (2)")
      ->check(finite_in(0.1, 3600));
  cmd->add_option("--min-success", f->min_success, "Share of cycles on time in every window (0.95)")
      ->check(finite_in(0.01, 1));
  cmd->add_option("--latency-factor", f->latency_factor, "Late after this x the baseline p99 (10)")
      ->check(finite_in(1, 1000));
  cmd->add_option("--min-deadline-ms", f->min_deadline_ms, "Late never before this (100)")
      ->check(finite_in(1, 3600000));
  cmd->add_option("--max-latency-ms", f->max_latency_ms, "No answer by this is a missed cycle (2000)")
      ->check(finite_in(1, 3600000));
  cmd->add_option("--recovery-ms", f->recovery_ms, "Not back within this: needs-manual-reset (15000)")
      ->check(finite_in(0, 86400000));
  cmd->add_option("--recovery-grace-ms", f->recovery_grace_ms, "Back within this: prompt; later: degraded (2000)")
      ->check(finite_in(0, 86400000));
  cmd->add_option("--recovery-cycles", f->recovery_cycles, "Cycles on time in a row that count as recovered (5)")
      ->check(finite_in(1, 1000));
  cmd->add_option("--confirm", f->confirm, "A degraded step runs again this often to confirm it (1)")
      ->check(finite_in(1, 100));
  cmd->add_flag("--no-netns", f->no_netns, "Never make a network namespace (network storms and vanishing peers are then not run)");
  cmd->add_flag("--read-only", f->read_only, "Never send a message that writes");
  cmd->add_option("--writable", f->writable, "Writes only to these addresses: 0-99,200-299");
  cmd->add_option("--unit-id", f->unit_ids, "Only these unit ids (repeatable)");
  cmd->add_option("--exclude", f->exclude, "Never send MESSAGE[.FIELD[=VALUE]] (repeatable)");
  cmd->add_option("--project", f->project, "Project store: a file, or a folder to hold protocrawler.db");
  cmd->add_option("--out", f->out, "Folder for finding files (default beside the store)");
  cmd->add_option("--hook-before-campaign", f->hook_before, "Command run before the storms");
  cmd->add_option("--hook-after-campaign", f->hook_after, "Command run after the storms");
  cmd->add_option("--hook-on-failure", f->hook_failure, "Command run when a finding is filed");
  cmd->add_flag("--dry-run", f->dry_run, "Print the storms and their stepping; contact nothing");
  cmd->add_flag("--json", f->json, "One JSON summary line");
  cmd->add_flag("--quiet", f->quiet, "No progress display");
  cmd->footer(
      "Verdicts: available (every ~1 s window of the essential function >= --min-success on time), degraded,\n"
      "failed (a window with no correct answer). Findings: degraded, needs-manual-reset, resource-exhaustion, crash.\n"
      "Exit status: 0 when the storms ran (findings or not), 2 on errors, 130 when interrupted. See docs/dos.md.");
  cmd->callback([&g, cmd, f] {
    int rc = run_dos(g, cmd, *f);
    if (rc != 0) throw UserError{"interrupted", rc};
  });
}

}  // namespace pc::cli
