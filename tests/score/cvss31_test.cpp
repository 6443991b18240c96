// The CVSS 3.1 base equations and Roundup against scores FIRST published with the
// specification: "Common Vulnerability Scoring System v3.1: Examples" (FIRST, 2019),
// section by section as cited beside each vector.
#include <gtest/gtest.h>

#include "core/score/cvss31.hpp"

namespace pc::score {
namespace {

struct Published {
  const char* example;  // the section of FIRST's v3.1 Examples document
  const char* vector;
  double score;
};

constexpr Published kFirstExamples[] = {
    {"MySQL Stored SQL Injection (CVE-2013-0375)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
    {"SSLv3 POODLE Vulnerability (CVE-2014-3566)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1},
    {"Apache Tomcat XML Parser Vulnerability (CVE-2009-0783)", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2},
    {"Cisco IOS Arbitrary Command Execution (CVE-2012-0384)", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2},
    {"Apple iWork Denial of Service (CVE-2015-1098)", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8},
    {"OpenSSL Heartbleed (CVE-2014-0160)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
    {"DNS Kaminsky Bug (CVE-2008-1447)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8},
    {"Sophos Login Screen Bypass (CVE-2014-2005)", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8},
    {"Joomla Directory Traversal (CVE-2010-0467)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8},
    {"Cisco Access Control Bypass (CVE-2012-1342)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8},
    {"Juniper Proxy ARP Denial of Service (CVE-2013-6014)", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3},
    {"Microsoft Windows Bluetooth Remote Code Execution (CVE-2011-1265)", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8},
    {"Apple iOS Security Control Bypass (CVE-2014-2019)", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6},
    {"SearchBlox Cross-Site Request Forgery (CVE-2015-0970)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8},
    {"SSL/TLS MITM Vulnerability (CVE-2014-0224)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4},
    {"Google Chrome Sandbox Bypass (CVE-2012-5376)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6},
    {"SAMR/LSAD Privilege Escalation, Badlock (CVE-2016-0128)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 6.8},
    {"SAMR/LSAD Privilege Escalation, Badlock (CVE-2016-2118)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.5},
    {"Cantemo Portal Stored Cross-site Scripting (CVE-2019-7551)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H", 9.0},
    {"WordPress Mail Plugin Reflected Cross-site Scripting (CVE-2017-5942)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
    {"Remote Code Execution in Oracle Outside In Technology (CVE-2016-5558)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:L", 8.6},
    {"Lenovo ThinkPwn Exploit (CVE-2016-5729)", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 8.2},
    {"Failure to Lock Flash on Resume from sleep (CVE-2015-2890)", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:N/I:H/A:H", 6.0},
    {"Intel DCI Issue (CVE-2018-3652)", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 7.6},
    {"Scripting Engine Memory Corruption (CVE-2019-0884)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N", 4.2},
};

TEST(Cvss31, PublishedExamplesScoreAsFirstPublishedThem) {
  for (const auto& e : kFirstExamples) {
    std::string err;
    auto v = parse_cvss31(e.vector, err);
    ASSERT_TRUE(v) << e.example << ": " << err;
    EXPECT_DOUBLE_EQ(base_score(*v), e.score) << e.example << " " << e.vector;
    EXPECT_EQ(to_string(*v), e.vector);
  }
}

TEST(Cvss31, TheEvidenceTableScoresOfTheProject) {
  // the "typical CVSS 3.1 base" column of the project's finding kinds
  std::string err;
  EXPECT_DOUBLE_EQ(base_score(*parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", err)), 7.5);
  EXPECT_DOUBLE_EQ(base_score(*parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", err)), 5.3);
  EXPECT_DOUBLE_EQ(base_score(*parse_cvss31("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N", err)), 3.7);
  EXPECT_DOUBLE_EQ(base_score(*parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", err)), 9.1);
  EXPECT_DOUBLE_EQ(base_score(*parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", err)), 9.8);
  EXPECT_DOUBLE_EQ(base_score(*parse_cvss31("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", err)), 0.0);
}

TEST(Cvss31, RoundupIsTheSpecificationsIntegerRule) {
  // Appendix A: the smallest one-decimal number >= x, immune to floating-point noise
  EXPECT_DOUBLE_EQ(roundup(4.02), 4.1);
  EXPECT_DOUBLE_EQ(roundup(4.0), 4.0);
  EXPECT_DOUBLE_EQ(roundup(4.000000000000001), 4.0);  // noise, not a value above 4.0
  EXPECT_DOUBLE_EQ(roundup(4.00001), 4.1);
  EXPECT_DOUBLE_EQ(roundup(0.0), 0.0);
  EXPECT_DOUBLE_EQ(roundup(9.99), 10.0);
}

TEST(Cvss31, MalformedVectorsAreRefusedWithTheReason) {
  std::string err;
  EXPECT_FALSE(parse_cvss31("AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", err));
  EXPECT_NE(err.find("CVSS:3.1/"), std::string::npos);
  EXPECT_FALSE(parse_cvss31("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", err));
  EXPECT_FALSE(parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N", err));
  EXPECT_NE(err.find("A is missing"), std::string::npos) << err;
  EXPECT_FALSE(parse_cvss31("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", err));
  EXPECT_NE(err.find("AV"), std::string::npos) << err;
  EXPECT_FALSE(parse_cvss31("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", err));
  EXPECT_NE(err.find("twice"), std::string::npos) << err;
  EXPECT_FALSE(parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:P", err));  // temporal: refused
  EXPECT_FALSE(parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/", err));
}

TEST(Cvss31, SeverityFollowsTheQualitativeScale) {
  EXPECT_EQ(severity(0.0), "None");
  EXPECT_EQ(severity(0.1), "Low");
  EXPECT_EQ(severity(3.9), "Low");
  EXPECT_EQ(severity(4.0), "Medium");
  EXPECT_EQ(severity(6.9), "Medium");
  EXPECT_EQ(severity(7.0), "High");
  EXPECT_EQ(severity(8.9), "High");
  EXPECT_EQ(severity(9.0), "Critical");
  EXPECT_EQ(severity_rank("high"), 3);
  EXPECT_EQ(severity_rank("Critical"), 4);
  EXPECT_EQ(severity_rank("bogus"), -1);
}

}  // namespace
}  // namespace pc::score
