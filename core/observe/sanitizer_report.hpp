// Reading sanitizer reports out of a target's stderr: which lines start a report, and
// the top stack frames in a form that stays the same from run to run and build to build
// (function and file:line, no addresses, no directories), so findings can be
// fingerprinted by them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pc::observe {

// "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
// "SUMMARY: UndefinedBehaviorSanitizer" (and the other sanitizers' ERROR/WARNING lines).
bool starts_sanitizer_report(std::string_view line);

// One stack line, "    #3 0x55d1c2 in pc::f(int) /src/a/b.cpp:42:7", as
// "pc::f(int) b.cpp:42". A function without source location keeps its module
// ("__asan_memcpy (/b/my-device+0x2c06e9)" -> "__asan_memcpy my-device").
// Unsymbolized frames, "#4 0x7f12 (/lib/libc.so.6+0x29d90)", keep the module and its
// offset ("libc.so.6+0x29d90"): the only name they have, and the same on every run of
// that binary. Not a stack line: nothing.
std::optional<std::string> stack_frame(std::string_view line);

// The first `max` frames of the report's first stack; when the report has no stack (a
// UBSan report without print_stacktrace), the "file:line" of its "runtime error:" line.
std::vector<std::string> top_frames(std::string_view report, size_t max = 5);

}  // namespace pc::observe
