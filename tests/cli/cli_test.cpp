// The protocrawler command as a user meets it: help, exit codes, messages, JSON.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/run.hpp"

namespace pc {
namespace {

test::RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), PC_CLI);
  return test::run(args, 240);
}

std::string capture(const std::string& rel) { return std::string(PC_SHARED_DIR) + "/captures/" + rel; }

TEST(Cli, HelpListsEveryCommand) {
  auto r = cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"models", "model", "validate", "decode", "emit"}) EXPECT_NE(r.out.find(c), std::string::npos) << c;
  for (const char* c : {"models", "model", "validate", "decode", "emit"}) {
    auto h = cli({c, "--help"});
    EXPECT_EQ(h.exit_code, 0) << c;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << c;
  }
}

TEST(Cli, NoCommandIsAUsageError) {
  auto r = cli({});
  EXPECT_NE(r.exit_code, 0);
  auto bad = cli({"decode", "--no-such-option"});
  EXPECT_EQ(bad.exit_code, 2) << "every bad command line exits 2";
}

// Commands that read a project store never make one: a mistyped path or an empty file is
// an error, and nothing is written.
TEST(Cli, ReadingCommandsRefuseAMissingOrEmptyStoreAndWriteNothing) {
  const std::string dir = ::testing::TempDir() + "pc-cli-store-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string missing = dir + "/typo.db", empty = dir + "/empty.db";
  std::ofstream(empty).flush();
  for (const auto& path : {missing, empty}) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"findings", "--project", path},
             {"suppressions", "list", "--project", path},
             {"retest", "--project", path},
             {"report", "--project", path, "--out", dir + "/r"},
             {"finding", "status", "1", "fixed", "--by", "a", "--why", "b", "--project", path}}) {
      auto r = cli(args);
      EXPECT_EQ(r.exit_code, 2) << args[0] << " " << path;
      EXPECT_NE(r.err.find(path == missing ? "no project store at" : "is empty: not a project store"),
                std::string::npos)
          << r.err;
    }
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
  EXPECT_EQ(std::filesystem::file_size(empty), 0u);
  std::filesystem::remove_all(dir);
}

TEST(Cli, ModelsAndModelShow) {
  auto r = cli({"models"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("modbus-tcp"), std::string::npos);
  r = cli({"model", "show", "modbus-tcp", "--rules"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("request read_coils_request"), std::string::npos);
  EXPECT_NE(r.out.find("read_coils_request.quantity.range (AP 6.1 MUST) reactions: exception(3)"), std::string::npos);
  r = cli({"model", "show", "no-such-model"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no model of that name"), std::string::npos) << r.err;
}

TEST(Cli, ValidateReportsPositionAndExitsNonZero) {
  test::TempDir dir;
  std::string bad = dir.file("bad.yaml");
  std::ofstream(bad) << "protocol: x\nframing: datagram\nrequest: m\nresponse: m\ntypes:\n  m:\n    message: true\n"
                        "    fields:\n      - { name: a, type: u9 }\n";
  auto r = cli({"validate", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad + ":9:26: unknown type 'u9'"), std::string::npos) << r.err;
  r = cli({"validate", std::string(PC_SOURCE_DIR) + "/models/modbus-tcp.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok: model 'modbus-tcp'"), std::string::npos);
}

TEST(Cli, DecodeExitsNonZeroOnBytesThatDoNotFrame) {
  auto r = cli({"decode", "--model", "modbus-tcp", capture("modbus/modbus_test_data_part1.pcap")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("unframed: frame 76 request 451 bytes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("48 messages decoded (20 requests, 28 responses), 4 invalid"), std::string::npos);
}

TEST(Cli, DecodeRoundtripAndStrict) {
  auto r = cli({"decode", "--model", "modbus-tcp", "--roundtrip", capture("modbus/ModbusTCP.pcap")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("15976 messages decoded (7990 requests, 7986 responses), 0 invalid, 0 unresolved, 0 re-encode differently"),
            std::string::npos);
  r = cli({"decode", "--model", "modbus-tcp", "--strict", capture("modbus/modbus-eit.pcap")});
  EXPECT_EQ(r.exit_code, 1) << "a MUST rule is broken in this capture";
  r = cli({"decode", "--model", "modbus-tcp", capture("modbus/modbus-eit.pcap")});
  EXPECT_EQ(r.exit_code, 0);
}

TEST(Cli, DecodeJsonHasFieldsIssuesAndSummary) {
  auto r = cli({"decode", "--model", "modbus-tcp", "--json", capture("modbus/4SICS-GeekLounge-151022-min.pcap")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["messages"].size(), 2u);
  const auto& req = j["messages"][0];
  EXPECT_EQ(req["type"], "read_write_multiple_registers_request");
  EXPECT_EQ(req["frame"], 1);
  bool found = false;
  for (const auto& f : req["fields"]) found |= f["path"] == "pdu.write_quantity" && f["value"] == 0x2112;
  EXPECT_TRUE(found);
  EXPECT_FALSE(req["issues"].empty());
  EXPECT_EQ(j["summary"]["decoded"], 2);
  EXPECT_EQ(j["summary"]["invalid"], 1);
}

TEST(Cli, DecodeOfAMissingOrForeignFileFails) {
  auto r = cli({"decode", "--model", "modbus-tcp", "/nonexistent.pcap"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("nonexistent.pcap"), std::string::npos) << r.err;
  r = cli({"decode", "--model", "modbus-tcp", std::string(PC_SOURCE_DIR) + "/README.md"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST(Cli, EmitWritesEveryMessageAndDecodeReadsThemBack) {
  test::TempDir dir;
  std::string out = dir.file("all.pcap");
  auto r = cli({"emit", "--model", "modbus-tcp", "--pcap", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = cli({"decode", "--model", "modbus-tcp", "--roundtrip", "--json", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["summary"]["decoded"].get<int>(), 40);
  EXPECT_EQ(j["summary"]["unresolved"], 0);
  EXPECT_EQ(j["summary"]["roundtrip_mismatches"], 0);
  r = cli({"emit", "--model", "modbus-tcp", "--message", "read_coils_request", "--pcap", out});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("1 messages"), std::string::npos);
  r = cli({"emit", "--model", "modbus-tcp", "--message", "no_such_message", "--pcap", out});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace pc
