// The command line of pc-modbus-ref: one table (options.cpp) yields the flags, their
// defaults, the help text and the validation; docs/targets.md quotes --help.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "device.hpp"
#include "server.hpp"

namespace pc::modbus_ref {

struct Options {
  ServerConfig server;
  DeviceConfig device;
  bool list_defects = false;
};

// Either the options, or the exit code to leave with (after --help, or a usage error
// already printed).
std::variant<Options, int> parse_options(int argc, char** argv);

// --list-defects: one line per defect, "name<TAB>kind<TAB>trigger".
std::string defect_listing();

}  // namespace pc::modbus_ref
