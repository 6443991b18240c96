// Running an external program the report needs (a PDF converter, tar), without a shell,
// bounded in time, its output kept for the error message.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pc::report {

struct ProgramResult {
  int exit_code = -1;  // -1: it did not start or was killed by the timeout
  std::string output;  // stdout and stderr, merged (the last 16 KiB)
  bool timed_out = false;
};

ProgramResult run_program(const std::vector<std::string>& argv, std::chrono::seconds timeout);
// The full path of `name` on $PATH, or "".
std::string find_on_path(const std::string& name);

}  // namespace pc::report
