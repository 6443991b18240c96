// The process monitor with small shell commands: ready detection on either stream, exit
// codes, signals (direct and as a shell reports them), restart, stop with and without
// cooperation, and that nothing is left behind: no zombie, no descriptor, no process.
#include <gtest/gtest.h>

#include "monitor_test_support.hpp"

namespace pc::observe::test {
namespace {

TEST(ObserveProcessMonitor, ReadyLineOnStdoutGivesTheRestOfTheLine) {
  ProcessMonitor monitor("echo 'starting up'; echo 'listening on 127.0.0.1:40123  '; sleep 100",
                         "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  EXPECT_EQ(monitor.ready_text(), "127.0.0.1:40123");
  EXPECT_GT(monitor.pid(), 0);
  EXPECT_TRUE(monitor.alive());
  ProcessEvent event;
  EXPECT_TRUE(monitor.alive(&event));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Running);
  EXPECT_FALSE(event.sanitizer_report);
  EXPECT_NE(monitor.stdout_tail().find("starting up"), std::string::npos);
}

TEST(ObserveProcessMonitor, ReadyLineOnStderr) {
  ProcessMonitor monitor("echo 'server ready at port 9' >&2; sleep 100", "ready at", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  EXPECT_EQ(monitor.ready_text(), "port 9");
}

TEST(ObserveProcessMonitor, ReadyLineSplitAcrossWrites) {
  ProcessMonitor monitor("printf 'listen'; sleep 0.2; printf 'ing on x:1\\n'; sleep 100",
                         "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  EXPECT_EQ(monitor.ready_text(), "x:1");
}

TEST(ObserveProcessMonitor, NoPatternMeansReadyAtOnce) {
  ProcessMonitor monitor("sleep 100", "", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  EXPECT_TRUE(monitor.ready_text().empty());
  EXPECT_TRUE(monitor.alive());
}

TEST(ObserveProcessMonitor, ASimpleCommandIsWatchedDirectly) {
  ProcessMonitor monitor("sleep 100", "", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  // The shell exec'd the program: the pid is sleep itself.
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(read_file("/proc/" + std::to_string(monitor.pid()) + "/comm"), "sleep\n");
  ::kill(monitor.pid(), SIGKILL);
  const ProcessEvent event = wait_for_end(monitor, milliseconds(10000));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Signalled);
  EXPECT_EQ(event.code, SIGKILL);
}

TEST(ObserveProcessMonitor, NotReadyByTheTimeoutFailsAndCleansUp) {
  ProcessMonitor monitor("echo 'still loading' >&2; sleep 100", "listening on", "");
  std::string error;
  const auto start = Clock::now();
  EXPECT_FALSE(monitor.start(milliseconds(300), error));
  EXPECT_GE(since(start), milliseconds(300));
  EXPECT_NE(error.find("did not print 'listening on' within 300 ms"), std::string::npos) << error;
  EXPECT_NE(error.find("still loading"), std::string::npos) << error;
  EXPECT_EQ(monitor.pid(), -1);
  EXPECT_FALSE(monitor.alive());
}

TEST(ObserveProcessMonitor, ExitBeforeReadyFailsWithTheCode) {
  ProcessMonitor monitor("echo 'bad option --x' >&2; exit 3", "listening on", "");
  std::string error;
  EXPECT_FALSE(monitor.start(milliseconds(10000), error));
  EXPECT_NE(error.find("exit code 3"), std::string::npos) << error;
  EXPECT_NE(error.find("bad option --x"), std::string::npos) << error;
  ProcessEvent event;
  EXPECT_FALSE(monitor.alive(&event));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Exited);
  EXPECT_EQ(event.code, 3);
}

TEST(ObserveProcessMonitor, ExitCodeAfterReady) {
  ProcessMonitor monitor("echo listening on x; sleep 0.2; exit 7", "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  const ProcessEvent event = wait_for_end(monitor, milliseconds(10000));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Exited);
  EXPECT_EQ(event.code, 7);
  EXPECT_FALSE(event.sanitizer_report);
  // The same event on later calls.
  ProcessEvent again;
  EXPECT_FALSE(monitor.alive(&again));
  EXPECT_EQ(again.code, 7);
  EXPECT_EQ(monitor.pid(), -1);
}

TEST(ObserveProcessMonitor, DeathBySignal) {
  no_core_dumps();
  ProcessMonitor monitor("echo listening on x; sleep 100", "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  const int pid = monitor.pid();
  ASSERT_EQ(::kill(pid, SIGSEGV), 0);
  const ProcessEvent event = wait_for_end(monitor, milliseconds(10000));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Signalled);
  EXPECT_EQ(event.code, SIGSEGV);
  EXPECT_TRUE(gone(pid));
}

TEST(ObserveProcessMonitor, SignalAsTheShellReportsIt) {
  no_core_dumps();
  // The command's last program dies by SIGSEGV; its shell exits with 128 + 11.
  ProcessMonitor monitor("echo listening on x; sh -c 'kill -SEGV $$'", "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  const ProcessEvent event = wait_for_end(monitor, milliseconds(10000));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Signalled);
  EXPECT_EQ(event.code, SIGSEGV);
}

TEST(ObserveProcessMonitor, SanitizerMarkersOnStderrAreReported) {
  ProcessMonitor monitor(
      "echo listening on x; printf '==9==ERROR: AddressSanitizer: heap-use-after-free\\n"
      "    #0 0x51 in f /s/a.cpp:3:1\\n    #1 0x52 in main /s/m.cpp:9:2\\n\\n' >&2; exit 1",
      "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  const ProcessEvent event = wait_for_end(monitor, milliseconds(10000));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Exited);
  EXPECT_EQ(event.code, 1);
  EXPECT_TRUE(event.sanitizer_report);
  EXPECT_EQ(event.report.rfind("==9==ERROR: AddressSanitizer", 0), 0u) << event.report;
  EXPECT_EQ(event.top_frames, (std::vector<std::string>{"f a.cpp:3", "main m.cpp:9"}));
}

TEST(ObserveProcessMonitor, SanitizerReportOnStdoutIsNotAReport) {
  ProcessMonitor monitor("echo listening on x; echo 'ERROR: AddressSanitizer: nothing'; exit 0",
                         "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  EXPECT_FALSE(wait_for_end(monitor, milliseconds(10000)).sanitizer_report);
}

TEST(ObserveProcessMonitor, RestartGivesANewProcess) {
  const std::string counter = temp_path("restarts");
  std::filesystem::remove(counter);
  ProcessMonitor monitor("echo run >> " + counter + "; echo listening on x; sleep 100",
                         "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  const int first = monitor.pid();
  ASSERT_TRUE(monitor.restart(milliseconds(10000), error)) << error;
  EXPECT_NE(monitor.pid(), first);
  EXPECT_TRUE(monitor.alive());
  EXPECT_TRUE(gone(first));
  EXPECT_EQ(read_file(counter), "run\nrun\n");
  EXPECT_FALSE(monitor.start(milliseconds(1000), error));
  EXPECT_NE(error.find("already running"), std::string::npos);
  std::filesystem::remove(counter);
}

TEST(ObserveProcessMonitor, RestartAfterACrash) {
  ProcessMonitor monitor("echo listening on x; sleep 0.1; exit 5", "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  EXPECT_EQ(wait_for_end(monitor, milliseconds(10000)).code, 5);
  ASSERT_TRUE(monitor.restart(milliseconds(10000), error)) << error;
  EXPECT_GT(monitor.pid(), 0);
}

TEST(ObserveProcessMonitor, StopLeavesNoZombieNoDescriptorNoProcess) {
  const size_t descriptors = open_descriptors();
  const std::string pids = temp_path("pids");
  int pid = -1;
  {
    // The shell and a background child of its group.
    ProcessMonitor monitor("sleep 100 & echo $! > " + pids + "; echo listening on x; wait",
                           "listening on", "");
    std::string error;
    ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
    pid = monitor.pid();
    monitor.stop();
    EXPECT_EQ(monitor.pid(), -1);
    EXPECT_FALSE(monitor.alive());
    EXPECT_TRUE(gone(pid));
  }
  const int child = std::stoi(read_file(pids));
  // The background child was killed with the group (it is not ours to reap, so it may
  // still be a zombie of its new parent for a moment).
  EXPECT_TRUE(ends_within(child, milliseconds(10000)));
  EXPECT_EQ(open_descriptors(), descriptors);
  std::filesystem::remove(pids);
}

TEST(ObserveProcessMonitor, StopKillsWhatIgnoresSigterm) {
  ProcessMonitor monitor("trap '' TERM; echo listening on x; while :; do sleep 0.05; done",
                         "listening on", "");
  monitor.set_stop_grace(milliseconds(300));
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
  const int pid = monitor.pid();
  const auto start = Clock::now();
  monitor.stop();
  EXPECT_GE(since(start), milliseconds(300));
  EXPECT_TRUE(gone(pid));
  ProcessEvent event;
  monitor.alive(&event);
  EXPECT_EQ(event.kind, ProcessEvent::Kind::Signalled);
  EXPECT_EQ(event.code, SIGKILL);
}

TEST(ObserveProcessMonitor, DestructorStops) {
  int pid = -1;
  {
    ProcessMonitor monitor("echo listening on x; sleep 100", "listening on", "");
    std::string error;
    ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
    pid = monitor.pid();
  }
  EXPECT_TRUE(gone(pid));
}

TEST(ObserveProcessMonitor, OutputGoesToTheLogFile) {
  const std::string log = temp_path("log");
  std::filesystem::remove(log);
  {
    ProcessMonitor monitor("echo out-line; echo err-line >&2; echo listening on x; sleep 100",
                           "listening on", log);
    std::string error;
    ASSERT_TRUE(monitor.start(milliseconds(10000), error)) << error;
    ASSERT_TRUE(monitor.restart(milliseconds(10000), error)) << error;  // appends
  }
  const std::string text = read_file(log);
  size_t count = 0;
  for (auto at = text.find("err-line"); at != std::string::npos;
       at = text.find("err-line", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u);
  EXPECT_NE(text.find("out-line"), std::string::npos);
  std::filesystem::remove(log);
}

TEST(ObserveProcessMonitor, UnwritableLogIsAStartError) {
  ProcessMonitor monitor("sleep 100", "", "/nonexistent-dir/x.log");
  std::string error;
  EXPECT_FALSE(monitor.start(milliseconds(1000), error));
  EXPECT_NE(error.find("cannot open log"), std::string::npos) << error;
  EXPECT_EQ(monitor.pid(), -1);
}

TEST(ObserveProcessMonitor, StderrTailIsBoundedAndEndsWithTheLastLine) {
  // About 2 MiB on stderr, the ready line last on the same stream (two pipes have no
  // order between them): the ring keeps the end.
  const std::string filler(90, 'x');
  ProcessMonitor monitor("i=0; while [ $i -lt 20000 ]; do echo \"line $i " + filler +
                             "\" >&2; i=$((i+1)); done; echo last-line >&2; "
                             "echo listening on x >&2; sleep 100",
                         "listening on", "");
  std::string error;
  ASSERT_TRUE(monitor.start(milliseconds(60000), error)) << error;
  const std::string tail = monitor.stderr_tail(1000);
  EXPECT_LE(tail.size(), 1000u);
  const std::string end = "last-line\nlistening on x\n";
  ASSERT_GE(tail.size(), end.size());
  EXPECT_EQ(tail.substr(tail.size() - end.size()), end);
  EXPECT_EQ(tail.rfind("line ", 0), 0u);  // starts at a line
  EXPECT_LE(monitor.stderr_tail(size_t{16} << 20).size(), size_t{256} * 1024);
  monitor.stop();
  // Still readable after the end.
  EXPECT_NE(monitor.stderr_tail(100).find("last-line"), std::string::npos);
}

TEST(ObserveProcessMonitor, NeverStartedIsNotStarted) {
  ProcessMonitor monitor("sleep 1", "", "");
  ProcessEvent event;
  EXPECT_FALSE(monitor.alive(&event));
  EXPECT_EQ(event.kind, ProcessEvent::Kind::NotStarted);
  EXPECT_EQ(monitor.pid(), -1);
  EXPECT_TRUE(monitor.stderr_tail().empty());
  monitor.stop();  // harmless
}

}  // namespace
}  // namespace pc::observe::test
