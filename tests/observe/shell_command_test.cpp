// shell_form(): one simple command naming an executable is exec'd (so the watched pid
// is the target); anything the shell must interpret is left alone.
#include "core/observe/shell_command.hpp"

#include <gtest/gtest.h>

namespace pc::observe {
namespace {

TEST(ObserveShellCommand, SimpleCommandsAreExeced) {
  EXPECT_EQ(shell_form("sleep 100"), "exec sleep 100");
  EXPECT_EQ(shell_form("/bin/sleep 100"), "exec /bin/sleep 100");
  EXPECT_EQ(shell_form("  sleep   5  "), "exec   sleep   5  ");
  EXPECT_EQ(shell_form("sleep 'a b' \"$HOME\" >/dev/null"),
            "exec sleep 'a b' \"$HOME\" >/dev/null");
}

TEST(ObserveShellCommand, EverythingElseRunsAsGiven) {
  for (const std::string command :
       {"echo a; sleep 1", "sleep 1 && echo b", "sleep 1 | cat", "sleep 1 &", "(sleep 1)",
        "sleep `echo 1`", "sleep $(echo 1)", "A=1 sleep 1", "exit 3", "'sleep' 1", "$SHELL -c x",
        "no-such-program-anywhere 1", "", "   ", "sleep 1\nsleep 2", "{ sleep 1; }", "! sleep 1",
        "/etc/passwd x"}) {
    EXPECT_EQ(shell_form(command), command) << command;
  }
}

}  // namespace
}  // namespace pc::observe
