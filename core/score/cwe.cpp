#include "core/score/cwe.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace pc::score {

SanitizerBug read_sanitizer_bug(const std::string& report) {
  SanitizerBug bug;
  static const std::regex kind(R"(ERROR: (?:Address|Memory|Thread|Leak|UndefinedBehavior)Sanitizer: ([A-Za-z-]+))");
  std::smatch m;
  if (std::regex_search(report, m, kind)) bug.type = m[1].str();
  bug.write = report.find("WRITE of size") != std::string::npos;
  if (bug.type == "SEGV") {
    static const std::regex addr(R"(unknown address (0x[0-9a-fA-F]+))");
    if (std::regex_search(report, m, addr)) bug.null_address = std::stoull(m[1].str(), nullptr, 16) < 4096;
  }
  if (bug.type.empty() && report.find("runtime error:") != std::string::npos) bug.type = "undefined-behavior";
  return bug;
}

bool holds_secret_text(const std::vector<uint8_t>& bytes) {
  static constexpr std::array<std::string_view, 7> kWords = {"key", "pass", "secret", "token", "pwd", "user=", "cred"};
  std::string run;
  auto check = [&] {
    bool hit = false;
    if (run.size() >= 6) {
      for (auto w : kWords) hit = hit || run.find(w) != std::string::npos;
    }
    run.clear();
    return hit;
  };
  for (uint8_t b : bytes) {
    if (b >= 0x20 && b < 0x7f) {
      run += static_cast<char>(std::tolower(b));
    } else if (check()) {
      return true;
    }
  }
  return check();
}

CweChoice cwe_for(const Evidence& e) {
  const std::string& k = e.kind;
  if (k == "crash") {
    SanitizerBug bug = read_sanitizer_bug(e.process_report);
    const std::string& t = bug.type;
    if (t == "heap-buffer-overflow") {
      return bug.write ? CweChoice{{787, 122}, "the sanitizer saw a heap buffer overflow on a write"}
                       : CweChoice{{125, 122}, "the sanitizer saw a heap buffer overflow on a read"};
    }
    if (t == "stack-buffer-overflow" || t == "stack-buffer-underflow" || t == "dynamic-stack-buffer-overflow") {
      return bug.write ? CweChoice{{787, 121}, "the sanitizer saw a stack buffer overflow on a write"}
                       : CweChoice{{125, 121}, "the sanitizer saw a stack buffer overflow on a read"};
    }
    if (t == "global-buffer-overflow") {
      return bug.write ? CweChoice{{787}, "the sanitizer saw a global buffer overflow on a write"}
                       : CweChoice{{125}, "the sanitizer saw a global buffer overflow on a read"};
    }
    if (t == "heap-use-after-free" || t == "stack-use-after-return" || t == "stack-use-after-scope") {
      return {{416}, "the sanitizer saw a use of memory after its lifetime (" + t + ")"};
    }
    if (t == "double-free" || t == "attempting") return {{415}, "the sanitizer saw memory freed twice"};
    if (t == "stack-overflow") return {{674}, "the sanitizer saw the stack exhausted (uncontrolled recursion)"};
    if (t == "allocation-size-too-big" || t == "out-of-memory" || t == "requested") {
      return {{789, 770}, "the sanitizer saw an allocation sized by the input"};
    }
    if (t == "SEGV") {
      return bug.null_address ? CweChoice{{476}, "the process died reading address 0 (a null pointer)"}
                              : CweChoice{{119}, "the process died on an invalid address"};
    }
    if (t == "undefined-behavior") return {{758}, "the sanitizer reported undefined behaviour"};
    return {{20}, "the process died on this input without a sanitizer's classification: the input was not "
                  "validated before use"};
  }
  if (k == "needs-manual-reset") {
    return {{835}, "the device stopped answering and never recovered: a loop whose exit condition the input "
                   "made unreachable"};
  }
  if (k == "hang") return {{400}, "one request held the device's service for the hang's duration"};
  if (k == "degraded") return {{400}, "the essential function degraded under the traffic"};
  if (k == "resource-exhaustion") {
    return {{772, 770}, "sessions stayed taken after their peers were gone, without a limit per peer"};
  }
  if (k == "memory-disclosure") return {{125, 200}, "the answer carried memory outside what was asked for"};
  if (k == "state-violation") {
    return {{841}, "a message was processed in a state where the protocol's workflow forbids it"};
  }
  if (k == "auth-bypass") return {{287}, "served without valid credentials"};
  if (k == "integrity-bypass") return {{345}, "a message with a tampered check value was accepted"};
  if (k == "accepted-invalid") {
    if (e.value && e.table_last && *e.value == *e.table_last + 1) {
      return {{193, 129}, "an access one past the last address of the table was accepted (off by one)"};
    }
    if (e.value && e.table_last && *e.value > *e.table_last) {
      return {{129}, "an access outside the device's data map was accepted"};
    }
    if (e.mutation_class == "count" || e.mutation_class == "out_of_range") {
      return {{1284}, "a quantity outside its valid range was accepted"};
    }
    if (e.mutation_class == "length" || e.mutation_class == "truncate") {
      return {{130}, "a length that disagrees with the message was accepted"};
    }
    if (e.mutation_class == "checksum") return {{354}, "a wrong check value was accepted"};
    return {{20}, "a request that breaks a MUST rule was accepted"};
  }
  return {{20}, "input validation"};
}

}  // namespace pc::score
