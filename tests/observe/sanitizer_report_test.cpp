// Reading sanitizer reports: which lines start one, and top frames that stay the same
// when addresses, directories and columns change.
#include "core/observe/sanitizer_report.hpp"

#include <gtest/gtest.h>

namespace pc::observe {
namespace {

const char* kAsanReport = R"(=================================================================
==4242==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd1c2a3f70 at pc 0x55d5c3 bp 0x7ffd sp 0x7ffd
WRITE of size 248 at 0x7ffd1c2a3f70 thread T0
    #0 0x4a1b2c in __asan_memcpy (/build/asan/targets/pc-modbus-ref+0x4a1b2c) (BuildId: 1234abcd)
    #1 0x55d5c3 in pc::modbus_ref::write_multiple_registers(pc::modbus_ref::DeviceState&, std::span<unsigned char const, 18446744073709551615ul>) /src/targets/modbus-ref/fc_registers.cpp:123:5
    #2 0x55d600 in pc::modbus_ref::Device::handle(std::vector<unsigned char, std::allocator<unsigned char> > const&) /src/targets/modbus-ref/device.cpp:88:12
    #3 0x55d700 in main /src/targets/modbus-ref/main.cpp:24:20
    #4 0x7f0000 in __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16
    #5 0x7f0100 in __libc_start_main csu/../csu/libc-start.c:392:3
    #6 0x41a2b4 in _start (/build/asan/targets/pc-modbus-ref+0x41a2b4)

Address 0x7ffd1c2a3f70 is located in stack of thread T0
    #0 0x55d500 in pc::modbus_ref::write_multiple_registers /src/targets/modbus-ref/fc_registers.cpp:100

SUMMARY: AddressSanitizer: stack-buffer-overflow fc_registers.cpp:123:5 in write_multiple_registers
)";

TEST(ObserveSanitizerReport, MarkersStartAReport) {
  EXPECT_TRUE(starts_sanitizer_report("==1==ERROR: AddressSanitizer: heap-use-after-free on"));
  EXPECT_TRUE(starts_sanitizer_report("==1==ERROR: LeakSanitizer: detected memory leaks"));
  EXPECT_TRUE(starts_sanitizer_report("a.cpp:3:9: runtime error: signed integer overflow"));
  EXPECT_TRUE(
      starts_sanitizer_report("SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior a.cpp:3:9"));
  EXPECT_FALSE(starts_sanitizer_report("listening on 127.0.0.1:502"));
  EXPECT_FALSE(starts_sanitizer_report("ERROR: connection refused"));
}

TEST(ObserveSanitizerReport, StackFrameKeepsFunctionFileAndLine) {
  EXPECT_EQ(stack_frame("    #3 0x55d700 in main /src/targets/modbus-ref/main.cpp:24:20"),
            "main main.cpp:24");
  EXPECT_EQ(stack_frame("#12 0xdeadbeef in ns::f(int, char) /a/b/c.cc:7"),
            "ns::f(int, char) c.cc:7");
  EXPECT_EQ(stack_frame(
                "    #0 0x4a1b2c in __asan_memcpy (/build/pc-modbus-ref+0x4a1b2c) (BuildId: 12ab)"),
            "__asan_memcpy pc-modbus-ref");
  EXPECT_EQ(stack_frame("    #4 0x7f12 (/lib/x86_64-linux-gnu/libc.so.6+0x29d90)"),
            "libc.so.6+0x29d90");
  EXPECT_EQ(stack_frame("    #1 0x1234 in some_function"), "some_function");
  EXPECT_FALSE(stack_frame("SUMMARY: AddressSanitizer: stack-buffer-overflow").has_value());
  EXPECT_FALSE(stack_frame("#include <x>").has_value());
  EXPECT_FALSE(stack_frame("").has_value());
}

TEST(ObserveSanitizerReport, TopFramesComeFromTheFirstStackOnly) {
  const auto frames = top_frames(kAsanReport);
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(frames[0], "__asan_memcpy pc-modbus-ref");
  EXPECT_EQ(
      frames[1],
      "pc::modbus_ref::write_multiple_registers(pc::modbus_ref::DeviceState&, std::span<unsigned "
      "char const, 18446744073709551615ul>) fc_registers.cpp:123");
  EXPECT_EQ(frames[3], "main main.cpp:24");
  EXPECT_EQ(frames[4], "__libc_start_call_main libc_start_call_main.h:58");
  EXPECT_EQ(top_frames(kAsanReport, 2).size(), 2u);
}

TEST(ObserveSanitizerReport, FramesAreTheSameWhenAddressesAndDirectoriesChange) {
  std::string moved = kAsanReport;
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"0x55d5c3", "0x61a0f3"},
                                 {"+0x4a1b2c", "+0x4a2000"},
                                 {"/src/", "/home/ci/checkout/"},
                                 {"123:5", "123:9"}}) {
    for (auto at = moved.find(from); at != std::string::npos;
         at = moved.find(from, at + to.size())) {
      moved.replace(at, from.size(), to);
    }
  }
  EXPECT_NE(moved, kAsanReport);
  EXPECT_EQ(top_frames(moved), top_frames(kAsanReport));
}

TEST(ObserveSanitizerReport, StackOfASecondReportIsNotMixedIn) {
  const std::string two =
      "ERROR: AddressSanitizer: x\n    #0 0x1 in a a.c:1\n    #1 0x2 in b b.c:2\n"
      "    #0 0x3 in c c.c:3\n";
  EXPECT_EQ(top_frames(two), (std::vector<std::string>{"a a.c:1", "b b.c:2"}));
}

TEST(ObserveSanitizerReport, UbsanWithoutAStackGivesTheErrorLocation) {
  const std::string report =
      "/src/core/x/y.cpp:41:17: runtime error: signed integer overflow: 2147483647 + 1\n"
      "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /src/core/x/y.cpp:41:17 in\n";
  EXPECT_EQ(top_frames(report), std::vector<std::string>{"y.cpp:41"});
  EXPECT_TRUE(top_frames("nothing here\n").empty());
}

}  // namespace
}  // namespace pc::observe
