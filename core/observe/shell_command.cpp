#include "core/observe/shell_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace pc::observe {

namespace {

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

bool names_executable(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return is_executable_file(program);
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    if (!dir.empty() && is_executable_file(std::string(dir) + "/" + program)) {
      return true;
    }
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
  }
  return false;
}

}  // namespace

std::string shell_form(const std::string& command) {
  // Control operators, subshells and substitutions make it more than one command.
  if (command.find_first_of(";&|\n()`") != std::string::npos) {
    return command;
  }
  const auto start = command.find_first_not_of(" \t");
  if (start == std::string::npos) {
    return command;
  }
  const auto end = command.find_first_of(" \t", start);
  const std::string program = command.substr(start, end == std::string::npos ? end : end - start);
  // Quoting, expansion or an assignment in the first word: leave it to the shell.
  if (program.find_first_of("'\"\\$*?[]~={}!<>#") != std::string::npos) {
    return command;
  }
  return names_executable(program) ? "exec " + command : command;
}

}  // namespace pc::observe
