#include "tests/engine/engine_cli.hpp"
#include "tests/support/findings_json.hpp"

#include <sstream>

namespace pc::test {

std::string ref_device(const std::vector<std::string>& defects, const std::string& extra) {
  std::string cmd = std::string(PC_REF) + " --port 0 --hang-ms 1200";
  for (const auto& d : defects) cmd += " --defect " + d;
  if (!extra.empty()) cmd += " " + extra;
  return cmd;
}

const std::vector<std::string>& fast_timing() {
  static const std::vector<std::string> t = {"--min-deadline-ms", "50", "--max-latency-ms", "500", "--recovery-ms",
                                             "2500"};
  return t;
}

std::vector<nlohmann::json> CampaignRun::of_kind(const std::string& kind) const {
  return findings_of_kind(findings, kind);
}

CampaignRun run_campaign(const std::string& project, const std::vector<std::string>& args, int timeout_s) {
  std::vector<std::string> argv = {PC_CLI, "run", "--json", "--model", "modbus-tcp", "--project", project};
  bool has_profile = false;
  for (const auto& a : args) has_profile |= a == "--profile" || a == "--sl" || a == "--campaign";
  if (!has_profile) argv.insert(argv.end(), {"--profile", "ci"});
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = run(argv, timeout_s);
  CampaignRun out;
  out.exit_code = r.exit_code;
  out.err = r.err;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == "summary") out.summary = j;
  }
  RunResult f = run({PC_CLI, "findings", "--json", "--project", project}, 120);
  out.findings = nlohmann::json::parse(f.out, nullptr, false);
  return out;
}

}  // namespace pc::test
