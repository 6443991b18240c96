// pc-modbus-ref: starts the reference device and prints "listening on ADDRESS:PORT"
// once it accepts connections, so a harness can wait for that line.
#include <cstdio>
#include <exception>
#include <variant>

#include "options.hpp"

int main(int argc, char** argv) {
  using namespace pc::modbus_ref;
  auto parsed = parse_options(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) {
    return *code;
  }
  const Options& options = std::get<Options>(parsed);
  if (options.list_defects) {
    std::fputs(defect_listing().c_str(), stdout);
    return 0;
  }
  try {
    Device device(options.device);
    Server server(options.server, device);
    std::printf("listening on %s:%u\n", options.server.bind_address.c_str(),
                static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    return server.run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "pc-modbus-ref: %s\n", error.what());
    return 2;
  }
}
