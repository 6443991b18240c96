// Driving `protocrawler dos` through the real command line against real targets on
// 127.0.0.1, and reading back what it stored.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/availability/storm_series.hpp"
#include "tests/support/run.hpp"

namespace pc::test {

struct DosRun {
  int exit_code = -1;
  nlohmann::json summary;   // the --json summary line
  nlohmann::json findings;  // `protocrawler findings --json`
  std::string out, err;
  // the summary's entry for a storm (an empty object when absent)
  nlohmann::json storm(const std::string& name) const;
  std::vector<nlohmann::json> findings_of(const std::string& kind) const;
};

// `protocrawler dos --json --project DIR` with `args`.
DosRun run_dos(const std::string& project, const std::vector<std::string>& args, int timeout_s = 400);

// The reference device on a free port with these options.
std::string ref_device(const std::vector<std::string>& args = {});
std::string libmodbus_server(const std::vector<std::string>& args = {});

// Short steps and windows for tests: 1 s baseline, 1 s steps, 500 ms miss bound, 3 s
// recovery window. Every time in them is a bound, never an expectation.
std::vector<std::string> test_timing();
// The essential function of the reference device: its scan counter (IR 0), which must
// move every 3 cycles.
std::vector<std::string> scan_counter();
std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b);

// Root, and a network namespace with a veth pair can really be made here (tried once):
// vanishing peers and network storms can run.
bool netns_possible();

// One storm's stored result and cycles, from the run's project store.
std::optional<availability::StormSeries> stored(const std::string& project, int64_t run, const std::string& storm);
// The first step that was not available (nullptr if none).
const availability::StepResult* first_bad_step(const availability::StormResult& r);

}  // namespace pc::test
