#include "tests/availability/dos_cli.hpp"
#include "tests/support/findings_json.hpp"

#include <unistd.h>

#include <sstream>

namespace pc::test {

nlohmann::json DosRun::storm(const std::string& name) const {
  if (summary.is_object() && summary.contains("storms")) {
    for (const auto& s : summary["storms"]) {
      if (s.value("storm", "") == name) return s;
    }
  }
  return nlohmann::json::object();
}

std::vector<nlohmann::json> DosRun::findings_of(const std::string& kind) const {
  return findings_of_kind(findings, kind);
}

DosRun run_dos(const std::string& project, const std::vector<std::string>& args, int timeout_s) {
  std::vector<std::string> argv = {PC_CLI, "dos", "--json", "--project", project};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = run(argv, timeout_s);
  DosRun out;
  out.exit_code = r.exit_code;
  out.out = r.out;
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

std::string ref_device(const std::vector<std::string>& args) {
  std::string cmd = std::string(PC_REF) + " --port 0";
  for (const auto& a : args) cmd += " " + a;
  return cmd;
}

std::string libmodbus_server(const std::vector<std::string>& args) {
  std::string cmd = std::string(PC_LIBMODBUS) + " --port 0";
  for (const auto& a : args) cmd += " " + a;
  return cmd;
}

std::vector<std::string> test_timing() {
  return {"--baseline-seconds", "1", "--hold-seconds", "1", "--max-latency-ms", "500", "--recovery-ms", "3000"};
}

std::vector<std::string> scan_counter() {
  return {"--ef-message", "read_input_registers_request", "--ef-set", "pdu.address=0", "--ef-set",
          "pdu.quantity=1", "--ef-value", "pdu.values[0]", "--ef-moves", "3"};
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

bool netns_possible() {
  if (geteuid() != 0) return false;
  // what the tool does, once: a namespace, a veth pair with one end moved into it, an
  // address there (a chroot or a container without the rights fails one of these)
  static const bool possible = [] {
    RunResult r = run({"/bin/sh", "-c",
                       "n=pcprobe-$$; a=pcpa$$; b=pcpb$$; ip netns add $n && ip link add $a type veth peer name $b "
                       "&& ip link set $b netns $n && ip -n $n addr add 198.19.99.2/24 dev $b; rc=$?; "
                       "ip link del $a 2>/dev/null; ip netns del $n 2>/dev/null; exit $rc"},
                      20);
    return r.exit_code == 0;
  }();
  return possible;
}

std::optional<availability::StormSeries> stored(const std::string& project, int64_t run_id, const std::string& storm) {
  std::string err;
  auto s = store::Store::open(project, err);
  if (!s) return std::nullopt;
  return availability::load_storm_series(*s, run_id, storm, err);
}

const availability::StepResult* first_bad_step(const availability::StormResult& r) {
  for (const auto& s : r.steps) {
    if (s.verdict == availability::Verdict::Degraded || s.verdict == availability::Verdict::Failed) return &s;
  }
  return nullptr;
}

}  // namespace pc::test
