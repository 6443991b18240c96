// pc-hostile-server: a loopback TCP server that misbehaves in one chosen way, for
// robustness tests of the fuzzer's transport and engine (docs/transport.md). Prints
// "listening on ADDRESS:PORT" once it accepts connections.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "hostile_server.hpp"

int main(int argc, char** argv) {
  using namespace pc::hostile;
  CLI::App app{"pc-hostile-server: a TCP server that misbehaves on purpose"};
  std::string mode_text;
  ServerOptions options;
  app.add_option("--mode", mode_text, "what to do to every client: " + mode_list())->required();
  app.add_option("--port", options.port, "TCP port; 0 picks a free one")->capture_default_str();
  app.add_option("--bind", options.bind_address, "IPv4 address to listen on")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "seed of the random bytes")->capture_default_str();
  app.add_option("--max-connections", options.max_connections,
                 "connections served at once; more are closed at once")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{4096}));
  CLI11_PARSE(app, argc, argv);
  const auto mode = parse_mode(mode_text);
  if (!mode) {
    std::fprintf(stderr, "pc-hostile-server: unknown mode '%s' (%s)\n", mode_text.c_str(),
                 mode_list().c_str());
    return 2;
  }
  options.mode = *mode;
  try {
    HostileServer server(options);
    std::printf("listening on %s:%u\n", options.bind_address.c_str(),
                static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    return server.run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "pc-hostile-server: %s\n", error.what());
    return 2;
  }
}
