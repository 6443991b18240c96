#include "options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <vector>

namespace pc::modbus_ref {
namespace {

// "FIRST:COUNT" -> TableRange; empty string when fine, else the reason.
std::string parse_range(const std::string& text, TableRange& range) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    return "expected FIRST:COUNT, got '" + text + "'";
  }
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  const char* begin = text.data();
  const auto r1 = std::from_chars(begin, begin + colon, first);
  const auto r2 = std::from_chars(begin + colon + 1, begin + text.size(), count);
  if (r1.ec != std::errc{} || r1.ptr != begin + colon || r2.ec != std::errc{} ||
      r2.ptr != begin + text.size()) {
    return "expected FIRST:COUNT as decimal numbers, got '" + text + "'";
  }
  if (count < 16 || first + count > 65536) {
    return "need COUNT >= 16 and FIRST + COUNT <= 65536, got '" + text + "'";
  }
  range = TableRange{static_cast<std::uint16_t>(first), count};
  return {};
}

std::string check_range(const std::string& text) {
  TableRange ignored;
  return parse_range(text, ignored);
}

}  // namespace

std::string defect_listing() {
  std::string out;
  for (const auto& info : kDefects) {
    out.append(info.name).append("\t").append(info.kind).append("\t").append(info.trigger);
    out.append("\n");
  }
  return out;
}

std::variant<Options, int> parse_options(int argc, char** argv) {
  Options options;
  ServerConfig& server = options.server;
  DeviceConfig& device = options.device;
  CLI::App app{
      "pc-modbus-ref: the ProtoCrawler reference Modbus/TCP device, with switchable "
      "seeded defects (all off by default). See docs/targets.md."};

  std::string coils = "0:4096";
  std::string discrete_inputs = "0:4096";
  std::string holding = "0:1000";
  std::string input = "0:1000";
  std::vector<std::string> defect_names;
  int unit_id = -1;
  unsigned scan_ms = device.tuning.scan_ms;
  long long idle_ms = server.idle_timeout.count();
  long long hang_ms = device.tuning.hang.count();
  long long request_cost_us = device.tuning.request_cost.count();

  app.add_option("--bind", server.bind_address, "IPv4 address to listen on")->capture_default_str();
  app.add_option("--port", server.port, "TCP port; 0 picks a free port (printed when ready)")
      ->capture_default_str();
  app.add_option("--unit-id", unit_id,
                 "serve only this unit id (0..255); default: answer any unit id")
      ->check(CLI::Range(0, 255));
  app.add_option("--coils", coils, "coil table FIRST:COUNT")
      ->capture_default_str()
      ->check(check_range);
  app.add_option("--discrete-inputs", discrete_inputs, "discrete input table FIRST:COUNT")
      ->capture_default_str()
      ->check(check_range);
  app.add_option("--holding-registers", holding, "holding register table FIRST:COUNT")
      ->capture_default_str()
      ->check(check_range);
  app.add_option("--input-registers", input, "input register table FIRST:COUNT")
      ->capture_default_str()
      ->check(check_range);
  app.add_option("--scan-ms", scan_ms, "scan cycle period of the simulated process, ms")
      ->capture_default_str()
      ->check(CLI::Range(1, 60000));
  app.add_option("--max-connections", server.max_connections,
                 "session slots; further connections are accepted and closed at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--idle-timeout-ms", idle_ms,
                 "close connections idle this long; 0 keeps them forever")
      ->capture_default_str()
      ->check(CLI::Range(0LL, 86400000LL));
  app.add_option("--hang-ms", hang_ms, "how long the hang defects block the event loop, ms")
      ->capture_default_str()
      ->check(CLI::Range(1LL, 3600000LL));
  app.add_option("--request-cost-us", request_cost_us,
                 "CPU time each request costs, spent busy, like a slower controller; 0: none")
      ->capture_default_str()
      ->check(CLI::Range(0LL, 1000000LL));
  app.add_option("--defect", defect_names, "switch a seeded defect on (repeatable)")
      ->check([](const std::string& name) {
        return defect_by_name(name) ? std::string{}
                                    : "unknown defect '" + name + "' (see --list-defects)";
      });
  app.add_flag("--list-defects", options.list_defects,
               "print every defect as name, kind, trigger (tab-separated) and exit");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  // Validated above; now fill the tables (the defaults are valid too).
  parse_range(coils, device.map.coils);
  parse_range(discrete_inputs, device.map.discrete_inputs);
  parse_range(holding, device.map.holding_registers);
  parse_range(input, device.map.input_registers);
  if (unit_id >= 0) {
    device.unit_id = static_cast<std::uint8_t>(unit_id);
  }
  device.tuning.scan_ms = scan_ms;
  device.tuning.hang = std::chrono::milliseconds(hang_ms);
  device.tuning.request_cost = std::chrono::microseconds(request_cost_us);
  server.idle_timeout = std::chrono::milliseconds(idle_ms);
  for (const auto& name : defect_names) {
    device.defects.enable(*defect_by_name(name));
  }
  return options;
}

}  // namespace pc::modbus_ref
