// pc-modbus-ref as a process: start-up options, signals, many connections, the
// connection limit and the idle timeout.
#include <signal.h>

#include <set>
#include <sstream>
#include <thread>

#include "modbus_ref_test_fixture.hpp"

namespace pc::targets_test {
namespace {

using namespace std::chrono_literals;

std::string byte_hex(std::size_t value) {
  return to_hex(std::vector<std::uint8_t>{static_cast<std::uint8_t>(value)});
}

TEST(TargetsModbusRefLifecycle, PortZeroPicksDistinctFreePorts) {
  ServerProcess a = start_modbus_ref();
  ServerProcess b = start_modbus_ref();
  EXPECT_NE(a.port(), 0);
  EXPECT_NE(a.port(), b.port());
  std::string why;
  EXPECT_TRUE(a.clean_shutdown(why)) << why;
  EXPECT_TRUE(b.clean_shutdown(why)) << why;
}

TEST(TargetsModbusRefLifecycle, SigintAlsoStopsCleanly) {
  ServerProcess server = start_modbus_ref();
  RawClient client(server.port());
  server.send_signal(SIGINT);
  const auto status = server.wait_exit(20s);
  ASSERT_TRUE(status);
  EXPECT_FALSE(status->signaled);
  EXPECT_EQ(status->code, 0);
}

TEST(TargetsModbusRefLifecycle, ListDefectsPrintsNameKindTriggerPerLine) {
  const RunResult run = run_program(modbus_ref_program(), {"--list-defects"});
  EXPECT_EQ(run.status.code, 0);
  const std::set<std::string> kinds{"crash",
                                    "hang",
                                    "needs-manual-reset",
                                    "resource-exhaustion",
                                    "memory-disclosure",
                                    "accepted-invalid",
                                    "state-violation",
                                    "degraded"};
  std::set<std::string> seen_kinds;
  std::istringstream lines(run.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto tab1 = line.find('\t');
    const auto tab2 = line.find('\t', tab1 + 1);
    ASSERT_NE(tab2, std::string::npos) << line;
    const std::string kind = line.substr(tab1 + 1, tab2 - tab1 - 1);
    EXPECT_TRUE(kinds.contains(kind)) << line;
    EXPECT_GT(line.size(), tab2 + 10) << "trigger text: " << line;
    seen_kinds.insert(kind);
    ++count;
  }
  EXPECT_GE(count, 10);
  EXPECT_EQ(seen_kinds, kinds) << "every finding kind has at least one defect";
}

TEST(TargetsModbusRefLifecycle, BadOptionsAreUsageErrors) {
  EXPECT_NE(run_program(modbus_ref_program(), {"--defect", "no-such-defect"}).status.code, 0);
  EXPECT_NE(run_program(modbus_ref_program(), {"--coils", "0:8"}).status.code, 0);
  EXPECT_NE(run_program(modbus_ref_program(), {"--coils", "65000:1000"}).status.code, 0);
  EXPECT_NE(run_program(modbus_ref_program(), {"--bind", "localhost", "--port", "0"}).status.code,
            0);
  const RunResult help = run_program(modbus_ref_program(), {"--help"});
  EXPECT_EQ(help.status.code, 0);
  EXPECT_NE(help.out.find("--idle-timeout-ms"), std::string::npos);
}

TEST(TargetsModbusRefLifecycle, TablesCanBeMappedElsewhere) {
  ServerProcess server = start_modbus_ref({"--holding-registers", "40000:100"});
  RawClient client(server.port());
  EXPECT_EQ(client.transact(adu_hex(1, 1, "03 9c 42 00 01")), adu_hex(1, 1, "03 02 01 f4"));
  EXPECT_EQ(client.transact(adu_hex(2, 1, "03 00 00 00 01")), adu_hex(2, 1, "83 02"));
  EXPECT_EQ(client.transact(adu_hex(3, 1, "03 9c a3 00 02")), adu_hex(3, 1, "83 02"));
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
}

TEST(TargetsModbusRefLifecycle, ServesManyConcurrentConnections) {
  ServerProcess server = start_modbus_ref();
  std::vector<RawClient> clients;
  for (int i = 0; i < 48; ++i) {
    clients.emplace_back(server.port());
  }
  // Interleaved: every client writes its own register, then each reads it back.
  for (std::size_t i = 0; i < clients.size(); ++i) {
    clients[i].send_hex(adu_hex(1, 1, "06 01 " + byte_hex(i) + " 00 " + byte_hex(i)));
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    ASSERT_TRUE(clients[i].read_adu(10s)) << "client " << i;
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    EXPECT_EQ(clients[i].transact(adu_hex(2, 1, "03 01 " + byte_hex(i) + " 00 01")),
              adu_hex(2, 1, "03 02 00 " + byte_hex(i)));
  }
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
}

TEST(TargetsModbusRefLifecycle, ConnectionsPastTheLimitAreRefusedUntilOneCloses) {
  ServerProcess server = start_modbus_ref({"--max-connections", "3"});
  std::vector<RawClient> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back(server.port());
    EXPECT_EQ(clients.back().transact(adu_hex(1, 1, "03 00 02 00 01")),
              adu_hex(1, 1, "03 02 01 f4"));
  }
  RawClient refused(server.port());
  EXPECT_TRUE(refused.wait_closed(10s));
  clients.pop_back();  // closes one
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {
    RawClient next(server.port());
    served = next.transact(adu_hex(2, 1, "03 00 02 00 01")) == adu_hex(2, 1, "03 02 01 f4");
  }
  EXPECT_TRUE(served) << "a freed slot must be usable again";
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
}

TEST(TargetsModbusRefLifecycle, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  ServerProcess server = start_modbus_ref({"--idle-timeout-ms", "200"});
  RawClient silent(server.port());
  EXPECT_TRUE(silent.wait_closed(20s));
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
}

}  // namespace
}  // namespace pc::targets_test
