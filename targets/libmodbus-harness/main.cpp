// pc-libmodbus-server: libmodbus's own Modbus/TCP server as a fuzzing target.
#include <CLI/CLI.hpp>

#include "harness_server.hpp"

int main(int argc, char** argv) {
  pc::libmodbus_harness::HarnessConfig config;
  CLI::App app{
      "pc-libmodbus-server: a Modbus/TCP server on Debian's libmodbus (modbus_reply), "
      "for fuzzing a third-party stack. See docs/targets.md."};
  app.add_option("--bind", config.bind_address, "IPv4 address to listen on")->capture_default_str();
  app.add_option("--port", config.port, "TCP port; 0 picks a free port (printed when ready)")
      ->capture_default_str();
  app.add_option("--response-timeout-us", config.response_timeout_us,
                 "modbus_set_response_timeout, in microseconds")
      ->capture_default_str()
      ->check(CLI::Range(1U, 60000000U));
  CLI11_PARSE(app, argc, argv);
  return pc::libmodbus_harness::serve(config);
}
