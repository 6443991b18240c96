// A pipe of the monitor: both ends held, both closed on exec.
#pragma once

#include "core/posix/unique_fd.hpp"

namespace pc::observe::detail {

struct Pipe {
  posix::UniqueFd read;
  posix::UniqueFd write;
};
// A pipe whose both ends close on exec (the child gets copies through dup2).
bool make_pipe(Pipe& out);

}  // namespace pc::observe::detail
