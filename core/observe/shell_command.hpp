// How a --target-cmd is handed to /bin/sh. A command that is one simple command naming
// an executable ("my-device --port 0 --verbose") is run as "exec COMMAND", so the
// watched pid is the target itself: its death by a signal is seen as such, and its
// /proc entry is the target's. Anything else (pipes, lists, builtins, assignments,
// quoting in the program name) runs as given, under its shell.
#pragma once

#include <string>

namespace pc::observe {

// "exec " + command when that is safe, else the command unchanged.
std::string shell_form(const std::string& command);

}  // namespace pc::observe
