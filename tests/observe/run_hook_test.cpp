// User hooks: extra environment, exit codes, output, and the timeout that kills the
// hook's whole process group.
#include <fcntl.h>
#include <gtest/gtest.h>

#include "monitor_test_support.hpp"

namespace pc::observe::test {
namespace {

TEST(ObserveRunHook, ExtraEnvironmentIsVisible) {
  std::string output;
  const int code = run_hook("echo \"case=$PC_CASE_ID target=$PC_TARGET\"",
                            {{"PC_CASE_ID", "42"}, {"PC_TARGET", "tcp://127.0.0.1:502"}},
                            milliseconds(10000), &output);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(output, "case=42 target=tcp://127.0.0.1:502\n");
}

TEST(ObserveRunHook, ExtraEnvironmentReplacesOurs) {
  ::setenv("PC_HOOK_TEST_VALUE", "ours", 1);
  std::string output;
  EXPECT_EQ(run_hook("echo $PC_HOOK_TEST_VALUE; env | grep -c '^PC_HOOK_TEST_VALUE='",
                     {{"PC_HOOK_TEST_VALUE", "theirs"}}, milliseconds(10000), &output),
            0);
  EXPECT_EQ(output, "theirs\n1\n");
  EXPECT_EQ(run_hook("test \"$PC_HOOK_TEST_VALUE\" = ours", {}, milliseconds(10000)), 0);
  ::unsetenv("PC_HOOK_TEST_VALUE");
}

TEST(ObserveRunHook, ExitCodeAndMergedOutput) {
  std::string output;
  EXPECT_EQ(run_hook("echo to-out; echo to-err >&2; exit 5", {}, milliseconds(10000), &output), 5);
  EXPECT_NE(output.find("to-out"), std::string::npos);
  EXPECT_NE(output.find("to-err"), std::string::npos);
  EXPECT_EQ(run_hook("true", {}, milliseconds(10000)), 0);
}

TEST(ObserveRunHook, DeathBySignalIsMinusOne) {
  no_core_dumps();
  EXPECT_EQ(run_hook("kill -KILL $$", {}, milliseconds(10000)), -1);
}

TEST(ObserveRunHook, TimeoutKillsTheGroup) {
  const std::string pids = temp_path("hook-pids");
  std::filesystem::remove(pids);
  const auto start = Clock::now();
  std::string output;
  const int code = run_hook("sleep 100 & echo $! > " + pids + "; echo started; sleep 100", {},
                            milliseconds(500), &output);
  EXPECT_EQ(code, -1);
  EXPECT_GE(since(start), milliseconds(500));
  EXPECT_LT(since(start), milliseconds(500 + 5000));
  EXPECT_EQ(output, "started\n");
  const int background = std::stoi(read_file(pids));
  EXPECT_TRUE(ends_within(background, milliseconds(10000)));
  std::filesystem::remove(pids);
}

TEST(ObserveRunHook, ABackgroundLeftoverDoesNotHoldTheCaller) {
  // The hook ends at once; what it left running keeps its output open, but the caller
  // gets the exit code without waiting for the timeout.
  const auto start = Clock::now();
  EXPECT_EQ(run_hook("sleep 100 & exit 4", {}, milliseconds(20000)), 4);
  EXPECT_LT(since(start), milliseconds(20000));
}

TEST(ObserveRunHook, OutputIsBounded) {
  std::string output;
  EXPECT_EQ(run_hook("head -c 1000000 /dev/zero | tr '\\0' a; echo; echo end", {},
                     milliseconds(30000), &output),
            0);
  EXPECT_LE(output.size(), size_t{64} * 1024);
  EXPECT_EQ(output.substr(output.size() - 4), "end\n");
}

TEST(ObserveRunHook, OnlyTheStandardDescriptorsReachTheHook) {
  const int inheritable = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC on purpose
  ASSERT_GE(inheritable, 3);
  std::string output;
  // ls lists its own directory descriptor too: the one after 0, 1 and 2.
  EXPECT_EQ(run_hook("ls /proc/self/fd", {}, milliseconds(10000), &output), 0);
  ::close(inheritable);
  EXPECT_EQ(output, "0\n1\n2\n3\n");
}

TEST(ObserveRunHook, NoDescriptorLeaks) {
  const size_t before = open_descriptors();
  for (int i = 0; i < 10; ++i) {
    run_hook("echo x", {}, milliseconds(10000));
    run_hook("sleep 10", {}, milliseconds(50));
  }
  EXPECT_EQ(open_descriptors(), before);
}

}  // namespace
}  // namespace pc::observe::test
