// `protocrawler run`: a campaign against a live device.
#include <fmt/core.h>

#include <csignal>
#include <iostream>
#include <sstream>

#include "apps/protocrawler/command.hpp"
#include "core/campaign/campaign.hpp"
#include "core/campaign/campaign_file.hpp"
#include "core/score/cvss31.hpp"
#include "core/store/store.hpp"

namespace pc::cli {
namespace {

std::atomic<bool> g_stop{false};  // set by SIGINT/SIGTERM: the campaign stops cleanly
extern "C" void on_signal(int) { g_stop.store(true); }

// The flags, as given; each one overrides the campaign file only when it was given.
struct RunFlags {
  std::string campaign, model, target, target_name, profile, budget, phases, seed_pcap, out, project, target_cmd,
      target_ready, reset_cmd, writable, hook_before_campaign, hook_after_campaign, hook_before_case, hook_after_case,
      hook_on_failure, component_type, vendor, product, firmware, tester, independence, fail_on;
  int target_sl = 0;
  std::vector<std::string> not_applicable;
  int sl = 0;
  uint64_t cases = 0, seed = 0;
  uint16_t seed_pcap_port = 0;
  double rate = 0;
  uint32_t connections = 1, probe_every = 50, confirm = 3;
  int64_t min_deadline_ms = 0, recovery_ms = 0, max_latency_ms = 0;
  std::vector<int64_t> unit_ids;
  std::vector<std::string> exclude;
  bool allow_remote = false, read_only = false, dry_run = false, resume = false, no_capture = false, json = false,
       quiet = false;
};

void apply(CLI::App* cmd, const RunFlags& f, campaign::Options& o) {
  auto given = [&](const char* name) { return cmd->count(name) > 0; };
  if (given("--model")) o.model = f.model;
  if (given("--target")) o.target = f.target;
  if (given("--target-name")) o.target_name = f.target_name;
  if (given("--allow-remote")) o.allow_remote = true;
  if (given("--profile")) o.profile = f.profile;
  if (given("--sl")) o.profile = fmt::format("sl{}", f.sl);
  if (given("--seed")) o.seed = f.seed;
  if (given("--cases")) o.cases = f.cases;
  if (given("--budget")) {
    std::chrono::seconds b;
    if (!campaign::parse_duration(f.budget, b)) throw UserError{"--budget is a duration like 90s, 5m or 1h30m"};
    o.budget = b;
  }
  if (given("--phases")) {
    o.phases.clear();
    std::stringstream ss(f.phases);
    for (std::string p; std::getline(ss, p, ',');) {
      if (p != "discovery" && p != "systematic" && p != "stateful" && p != "random") {
        throw UserError{fmt::format("--phases: unknown phase '{}' (discovery, systematic, stateful, random)", p)};
      }
      o.phases.push_back(p);
    }
  }
  if (given("--seed-pcap")) o.seed_pcap = f.seed_pcap;
  if (given("--seed-pcap-port")) o.seed_pcap_port = f.seed_pcap_port;
  if (given("--out")) o.out = f.out;
  if (given("--project")) o.project = f.project;
  if (given("--target-cmd")) o.target_cmd = f.target_cmd;
  if (given("--target-ready")) o.target_ready = f.target_ready;
  if (given("--reset-cmd")) o.reset_cmd = f.reset_cmd;
  if (given("--rate")) o.rate = f.rate;
  if (given("--connections")) o.connections = f.connections;
  if (given("--probe-every")) o.probe_every = f.probe_every;
  if (given("--confirm")) o.confirm = f.confirm;
  if (given("--read-only")) o.read_only = true;
  if (given("--writable") && !campaign::parse_ranges(f.writable, o.writable)) {
    throw UserError{"--writable takes ranges like 0-99,200-299"};
  }
  if (given("--unit-id")) o.unit_ids = f.unit_ids;
  for (const auto& x : f.exclude) {
    campaign::Exclusion e;
    if (!campaign::parse_exclusion(x, e)) throw UserError{fmt::format("--exclude '{}': use MESSAGE[.FIELD[=VALUE]]", x)};
    o.exclusions.push_back(e);
  }
  if (given("--dry-run")) o.dry_run = true;
  if (given("--resume")) o.resume = true;
  if (given("--no-capture")) o.capture = false;
  if (given("--json")) o.json = true;
  if (given("--quiet")) o.quiet = true;
  if (given("--min-deadline-ms")) o.thresholds.min_deadline = std::chrono::milliseconds(f.min_deadline_ms);
  if (given("--recovery-ms")) o.thresholds.recovery_window = std::chrono::milliseconds(f.recovery_ms);
  if (given("--max-latency-ms")) o.thresholds.max_latency = std::chrono::milliseconds(f.max_latency_ms);
  if (given("--hook-before-campaign")) o.hooks.before_campaign = f.hook_before_campaign;
  if (given("--hook-after-campaign")) o.hooks.after_campaign = f.hook_after_campaign;
  if (given("--hook-before-case")) o.hooks.before_case = f.hook_before_case;
  if (given("--hook-after-case")) o.hooks.after_case = f.hook_after_case;
  if (given("--hook-on-failure")) o.hooks.on_failure = f.hook_on_failure;
  if (given("--component-type")) o.scope.component_type = f.component_type;
  if (given("--vendor")) o.scope.vendor = f.vendor;
  if (given("--product")) o.scope.product = f.product;
  if (given("--firmware")) o.scope.firmware = f.firmware;
  if (given("--tester")) o.scope.tester = f.tester;
  if (given("--independence")) o.scope.independence = f.independence;
  if (given("--target-sl")) o.scope.target_sl = f.target_sl;
  for (const auto& na : f.not_applicable) {
    auto eq = na.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == na.size()) {
      throw UserError{fmt::format("--not-applicable '{}': use 'CR 1.2=why it does not apply'", na)};
    }
    o.scope.not_applicable.emplace_back(na.substr(0, eq), na.substr(eq + 1));
  }
}

// --fail-on: the open findings of this run at or above a severity (an override's score
// counts where there is one).
std::vector<store::FindingRecord> failing(const std::string& store_path, int64_t run, int threshold) {
  std::vector<store::FindingRecord> out;
  std::string err;
  auto st = store::Store::open(store_path, err);
  if (!st) throw UserError{"--fail-on: cannot open the project store: " + err, 2};
  for (const auto& f : st->findings(run)) {
    if (f.status != "open") continue;
    double sc = f.cvss_score.value_or(0);
    auto ov = nlohmann::json::parse(f.score_override_json.empty() ? "{}" : f.score_override_json, nullptr, false);
    if (ov.is_object() && ov.contains("score") && ov["score"].is_number()) sc = ov["score"].get<double>();
    if (score::severity_rank(score::severity(sc)) >= threshold) out.push_back(f);
  }
  return out;
}

int run_campaign(const Global& g, CLI::App* cmd, const RunFlags& f) {
  campaign::Options o;
  if (!f.campaign.empty()) {
    std::string err;
    if (!campaign::load_campaign_file(f.campaign, o, err)) throw UserError{err};
  }
  apply(cmd, f, o);
  if (o.model.empty()) o.model = "modbus-tcp";
  if (o.target.empty() && o.target_cmd.empty() && !o.dry_run) {
    throw UserError{"give --target tcp://HOST:PORT (or --target-cmd that starts a local target)"};
  }
  if (o.connections < 1 || o.connections > 64) throw UserError{"--connections is 1..64"};
  if (o.campaign_yaml.empty()) o.campaign_yaml = campaign::options_yaml(o);
  auto model = load_model(g, o.model);
  generate::Profile profile;
  std::string err;
  if (!generate::load_profile(o.profile, profile, err)) throw UserError{err};
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  campaign::Campaign c(o, model, profile);
  campaign::Summary s = c.run(g_stop);
  if (o.json) {
    std::cout << s.to_json().dump() << "\n";
  } else {
    fmt::print("{} cases in {:.1f} s ({:.0f} cases/s), run {} in {}\n", s.cases, s.elapsed, s.cases_per_second,
               s.run_id, s.store_path);
    if (s.excluded) fmt::print("{} cases excluded by the safety rules\n", s.excluded);
    for (const auto& f2 : s.findings) {
      fmt::print("  finding {} {}{} (confirmed {}/{}): files in {}\n", f2.id, f2.title, f2.is_new ? "" : " [known]",
                 f2.confirmed, f2.confirmations, f2.files);
    }
    for (const auto& ob : s.observations) fmt::print("  observation: {}\n", ob);
    if (s.findings.empty() && s.ok) fmt::print("no findings\n");
    if (!s.findings.empty()) {
      fmt::print("replay one with: protocrawler replay FINDING_ID --project {} --target ...\n", s.store_path);
    }
  }
  for (const auto& w : s.warnings) fmt::print(stderr, "protocrawler: warning: {}\n", w);
  if (!s.ok) throw UserError{s.error.empty() ? "the campaign failed" : s.error, 2};
  if (s.stopped == "interrupted") return 130;
  if (!f.fail_on.empty()) {
    auto bad = failing(s.store_path, s.run_id, score::severity_rank(f.fail_on));
    if (!bad.empty()) {
      std::string list;
      for (const auto& b : bad) list += fmt::format("\n  finding {} ({} {}): {}", b.id, b.cvss_score.value_or(0),
                                                    score::severity(b.cvss_score.value_or(0)), b.title);
      throw UserError{fmt::format("{} open finding(s) at or above {} (--fail-on):{}", bad.size(), f.fail_on, list), 3};
    }
  }
  return 0;
}

}  // namespace

void add_run_command(CLI::App& app, Global& g) {
  auto f = std::make_shared<RunFlags>();
  auto* cmd = app.add_subcommand("run", "Run a fuzzing campaign against a live device");
  cmd->add_option("--campaign", f->campaign, "Campaign file (YAML, docs/campaign-file.md); flags override it")
      ->check(CLI::ExistingFile);
  cmd->add_option("--model", f->model, "Protocol model by name or file (default modbus-tcp)");
  cmd->add_option("--target", f->target, "tcp://HOST:PORT or udp://HOST:PORT; only 127.0.0.0/8 and ::1 unless --allow-remote");
  cmd->add_option("--target-name", f->target_name, "A name for the target in the project store");
  cmd->add_flag("--allow-remote", f->allow_remote, "Declare a non-loopback target a test installation");
  cmd->add_option("--sl", f->sl, "Depth by security level 1..4 (profiles sl1..sl4)")->check(CLI::Range(1, 4));
  cmd->add_option("--profile", f->profile, "Depth profile by name or file (sl1..sl4, ci; default sl1)");
  cmd->add_option("--budget", f->budget, "Stop after this long: 90s, 5m, 1h30m");
  cmd->add_option("--cases", f->cases, "Stop after this many cases");
  cmd->add_option("--seed", f->seed, "Seed of the random choices (same seed, same cases)");
  cmd->add_option("--phases", f->phases, "Phases to run, comma separated (default discovery,systematic,stateful,random)");
  cmd->add_option("--seed-pcap", f->seed_pcap, "A capture whose requests become defaults and corpus")->check(CLI::ExistingFile);
  cmd->add_option("--seed-pcap-port", f->seed_pcap_port, "The server port in --seed-pcap (default: the model's)");
  cmd->add_option("--out", f->out, "Folder for reproducers, captures and logs (default beside the store)");
  cmd->add_option("--project", f->project, "Project store: a file, or a folder to hold protocrawler.db (default ./protocrawler.db)");
  cmd->add_option("--target-cmd", f->target_cmd, "Start this local target, watch it (crashes, sanitizer reports) and restart it");
  cmd->add_option("--target-ready", f->target_ready, "Text the target prints when ready (default 'listening on')");
  cmd->add_option("--reset-cmd", f->reset_cmd, "Run this when a real device does not come back by itself");
  cmd->add_option("--rate", f->rate, "Cases per second at most");
  cmd->add_option("--connections", f->connections, "Connections used at once (1)");
  cmd->add_option("--probe-every", f->probe_every, "A health probe every N cases (50)");
  cmd->add_option("--confirm", f->confirm, "Replays that confirm a finding (3)");
  cmd->add_flag("--read-only", f->read_only, "Never send a message that writes");
  cmd->add_option("--writable", f->writable, "Writes only to these addresses: 0-99,200-299");
  cmd->add_option("--unit-id", f->unit_ids, "Only these unit ids (repeatable)");
  cmd->add_option("--exclude", f->exclude, "Never send MESSAGE[.FIELD[=VALUE]] (repeatable)");
  cmd->add_flag("--dry-run", f->dry_run, "Print the cases instead of sending them");
  cmd->add_flag("--resume", f->resume, "Continue the last unfinished run with this model, target and seed");
  cmd->add_flag("--no-capture", f->no_capture, "Do not record confirming replays from the wire");
  cmd->add_flag("--json", f->json, "JSON lines: progress events, findings, a final summary");
  cmd->add_flag("--quiet", f->quiet, "No progress display");
  cmd->add_option("--min-deadline-ms", f->min_deadline_ms, "Floor of the per-case deadline (100)");
  cmd->add_option("--max-latency-ms", f->max_latency_ms, "A healthy answer is faster than this (2000)");
  cmd->add_option("--recovery-ms", f->recovery_ms, "A device back within this is not needs-manual-reset (15000)");
  cmd->add_option("--hook-before-campaign", f->hook_before_campaign, "Command run before the campaign");
  cmd->add_option("--hook-after-campaign", f->hook_after_campaign, "Command run after the campaign");
  cmd->add_option("--hook-before-case", f->hook_before_case, "Command run before each case");
  cmd->add_option("--hook-after-case", f->hook_after_case, "Command run after each case");
  cmd->add_option("--hook-on-failure", f->hook_on_failure, "Command run when an anomaly is found");
  cmd->add_option("--component-type", f->component_type,
                  "What the target is (IEC 62443-4-2): embedded device, host device, network device, "
                  "software application")
      ->check(CLI::IsMember({"embedded device", "host device", "network device", "software application"}));
  cmd->add_option("--vendor", f->vendor, "The target's vendor, as declared (compared with what the device says)");
  cmd->add_option("--product", f->product, "The target's product or model, as declared");
  cmd->add_option("--firmware", f->firmware, "The target's firmware version, as declared");
  cmd->add_option("--tester", f->tester, "Who runs the tests (the report's scope)");
  cmd->add_option("--independence", f->independence,
                  "How independent the tester is of the developers (IEC 62443-4-1 SVV-5), in words");
  cmd->add_option("--target-sl", f->target_sl, "The security level the vendor targets (default: the profile's)")
      ->check(CLI::Range(1, 4));
  cmd->add_option("--not-applicable", f->not_applicable,
                  "'CR 1.2=why': a requirement that does not apply to this component (repeatable)");
  cmd->add_option("--fail-on", f->fail_on,
                  "Exit 3 when a finding of this run at or above this severity is open (not fixed, not suppressed)")
      ->check(CLI::IsMember({"low", "medium", "high", "critical"}));
  cmd->footer(
      "Hooks get PROTOCRAWLER_TARGET, PROTOCRAWLER_RUN, PROTOCRAWLER_MODEL, PROTOCRAWLER_CASE and\n"
      "PROTOCRAWLER_MESSAGE (and PROTOCRAWLER_FINDING_KIND on failure) in their environment.\n"
      "Exit status: 0 when the campaign ran (findings or not), 2 on errors, 3 when --fail-on found\n"
      "open findings at or above its severity, 130 when interrupted.");
  cmd->callback([&g, cmd, f] {
    int rc = run_campaign(g, cmd, *f);
    if (rc != 0) throw UserError{"interrupted", rc};
  });
}

}  // namespace pc::cli
