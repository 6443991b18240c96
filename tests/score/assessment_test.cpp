// The rules of docs/scoring.md: a vector, CWE and requirements derived from a finding's
// evidence, one rule per test, with the evidence written as the campaign stores it.
#include <gtest/gtest.h>

#include "core/score/assessment.hpp"
#include "core/score/cwe.hpp"

namespace pc::score {
namespace {

Evidence base(const std::string& kind) {
  Evidence e;
  e.kind = kind;
  e.transport = "tcp";
  e.confirmed = 3;
  e.confirmations = 3;
  return e;
}

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

TEST(Assessment, CrashWithAStackWriteOverflowIsMemoryCorruption) {
  Evidence e = base("crash");
  e.process_report =
      "==1==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffe at pc 0x55 bp 0x7f sp 0x7f\n"
      "WRITE of size 248 at 0x7ffe thread T0\n";
  Assessment a = assess(e);
  EXPECT_EQ(a.vector_text(), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:H");
  EXPECT_DOUBLE_EQ(a.score, 8.2);
  EXPECT_EQ(a.cwe, (std::vector<int>{787, 121}));
  EXPECT_EQ(a.requirements, (std::vector<std::string>{"CR 3.5", "CR 7.1"}));
  EXPECT_EQ(a.cvss_version, "3.1");
  ASSERT_EQ(a.reasons.size(), 8u);
}

TEST(Assessment, CrashWithoutAReportIsAvailabilityOnly) {
  Assessment a = assess(base("crash"));
  EXPECT_EQ(a.vector_text(), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
  EXPECT_DOUBLE_EQ(a.score, 7.5);
  EXPECT_EQ(a.cwe, (std::vector<int>{20}));
}

TEST(Assessment, HeapReadOverflowAndUseAfterFreeAndNullPointer) {
  Evidence e = base("crash");
  e.process_report = "ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6\nREAD of size 4 at";
  EXPECT_EQ(assess(e).cwe, (std::vector<int>{125, 122}));
  e.process_report = "ERROR: AddressSanitizer: heap-use-after-free on address 0x6\nREAD of size 4 at";
  EXPECT_EQ(assess(e).cwe, (std::vector<int>{416}));
  e.process_report = "ERROR: AddressSanitizer: SEGV on unknown address 0x000000000010 (pc 0x55";
  EXPECT_EQ(assess(e).cwe, (std::vector<int>{476}));
}

TEST(Assessment, HangAvailabilityFollowsTheOutage) {
  Evidence e = base("hang");
  e.recovery_window_ms = 15000;
  e.outage_ms = 5000;  // less than half the recovery window
  Assessment shortish = assess(e);
  EXPECT_EQ(shortish.vector.a, 'L');
  EXPECT_DOUBLE_EQ(shortish.score, 5.3);
  e.outage_ms = 9000;
  Assessment longer = assess(e);
  EXPECT_EQ(longer.vector.a, 'H');
  EXPECT_DOUBLE_EQ(longer.score, 7.5);
  EXPECT_EQ(longer.cwe, (std::vector<int>{400}));
}

TEST(Assessment, NeedsManualResetIsAWedgedLoop) {
  Assessment a = assess(base("needs-manual-reset"));
  EXPECT_DOUBLE_EQ(a.score, 7.5);
  EXPECT_EQ(a.cwe, (std::vector<int>{835}));
  EXPECT_EQ(a.requirements, (std::vector<std::string>{"CR 3.5", "CR 7.1"}));
}

TEST(Assessment, ResourceExhaustionThatPersistsIsHighAndALeak) {
  Evidence e = base("resource-exhaustion");
  e.recovered = false;
  Assessment a = assess(e);
  EXPECT_EQ(a.vector.a, 'H');
  EXPECT_EQ(a.cwe, (std::vector<int>{772, 770}));
  EXPECT_EQ(a.requirements, (std::vector<std::string>{"CR 7.2"}));
  e.recovered = true;
  EXPECT_EQ(assess(e).vector.a, 'L');
}

TEST(Assessment, DisclosureConfidentialityFollowsWhatTheBytesHold) {
  Evidence e = base("memory-disclosure");
  e.answer = bytes(std::string("\x00\x01\x03\x0c", 4) + "just some bytes here");
  Assessment plain = assess(e);
  EXPECT_EQ(plain.vector.c, 'L');
  EXPECT_DOUBLE_EQ(plain.score, 5.3);
  e.answer = bytes(std::string("\x00\x01\x03\x0c", 4) + "SESSION-KEY:7f3a9c21;maint-pass=secret");
  Assessment secret = assess(e);
  EXPECT_EQ(secret.vector.c, 'H');
  EXPECT_DOUBLE_EQ(secret.score, 7.5);
  EXPECT_EQ(secret.cwe, (std::vector<int>{125, 200}));
  EXPECT_EQ(secret.requirements, (std::vector<std::string>{"CR 3.5", "CR 4.1"}));
}

TEST(Assessment, AcceptedInvalidQuantityAndOffByOneAndFlakiness) {
  Evidence e = base("accepted-invalid");
  e.mutation_class = "out_of_range";
  Assessment q = assess(e);
  EXPECT_EQ(q.vector_text(), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N");
  EXPECT_DOUBLE_EQ(q.score, 5.3);
  EXPECT_EQ(q.cwe, (std::vector<int>{1284}));
  e.value = 1000;
  e.table_last = 999;
  EXPECT_EQ(assess(e).cwe, (std::vector<int>{193, 129}));
  e.value.reset();
  e.confirmed = 2;  // not every replay: a condition the attacker does not control
  Assessment flaky = assess(e);
  EXPECT_EQ(flaky.vector.ac, 'H');
  EXPECT_DOUBLE_EQ(flaky.score, 3.7);
}

TEST(Assessment, StateViolationReadIsConfidentialityWriteIsIntegrity) {
  Evidence e = base("state-violation");
  Assessment read = assess(e);
  EXPECT_EQ(read.vector.c, 'L');
  EXPECT_EQ(read.vector.i, 'N');
  EXPECT_EQ(read.cwe, (std::vector<int>{841}));
  EXPECT_EQ(read.requirements, (std::vector<std::string>{"CR 3.5", "CR 2.1"}));
  e.message_writes = true;
  Assessment write = assess(e);
  EXPECT_EQ(write.vector.c, 'N');
  EXPECT_EQ(write.vector.i, 'L');
}

TEST(Assessment, AuthenticationBeforeTheTriggerRaisesPrivileges) {
  Evidence e = base("hang");
  e.authenticated = true;
  EXPECT_EQ(assess(e).vector.pr, 'L');
  e.authenticated = false;
  EXPECT_EQ(assess(e).vector.pr, 'N');
}

TEST(Assessment, AuthAndIntegrityBypassScores) {
  Assessment auth = assess(base("auth-bypass"));
  EXPECT_DOUBLE_EQ(auth.score, 9.1);
  EXPECT_EQ(auth.requirements, (std::vector<std::string>{"CR 1.1", "CR 1.2", "CR 2.1"}));
  Assessment integ = assess(base("integrity-bypass"));
  EXPECT_EQ(integ.vector.ac, 'H');
  EXPECT_DOUBLE_EQ(integ.score, 5.9);
}

TEST(Assessment, LinkInterfacesAreAdjacent) {
  Evidence e = base("crash");
  e.transport = "link";
  EXPECT_EQ(assess(e).vector.av, 'A');
}

TEST(Assessment, EvidenceIsReadFromStoredDetails) {
  auto d = nlohmann::json::parse(R"({
    "confirmed": 2, "confirmations": 3, "authenticated": true,
    "observed": {"answers": [{"hex": "0a0b4b45593d31323334", "outcome": "answer"}], "recovered": true, "outage_ms": 1500},
    "thresholds": {"recovery_window_ms": 2500},
    "reproducer": {"repeat": 64},
    "access": {"table": "holding_registers", "value": 1000, "table_last": 999},
    "process_report": "ERROR: AddressSanitizer: stack-buffer-overflow\nWRITE of size 2"})");
  Evidence e = evidence_from_details(d);
  EXPECT_EQ(e.confirmed, 2u);
  EXPECT_EQ(e.confirmations, 3u);
  EXPECT_TRUE(e.authenticated);
  EXPECT_EQ(e.outage_ms, 1500);
  EXPECT_EQ(e.recovery_window_ms, 2500);
  EXPECT_EQ(e.repeat, 64u);
  EXPECT_EQ(e.value, 1000);
  EXPECT_EQ(e.table_last, 999);
  EXPECT_EQ(e.answer, bytes("\x0a\x0bKEY=1234"));
  EXPECT_TRUE(read_sanitizer_bug(e.process_report).write);
  // details that are not an object give empty evidence, no crash
  EXPECT_EQ(evidence_from_details(nlohmann::json::array()).confirmed, 0u);
}

}  // namespace
}  // namespace pc::score
