// The three defects of pc-modbus-ref that load tests reveal (idle sessions kept, an
// unbounded request queue that starves the scan cycle, a blocking wait on partial
// frames), each against the same load with the defect off. Timing is only ever
// compared with a baseline measured in the same test or with a configured option.
#include <thread>

#include "modbus_ref_test_fixture.hpp"

namespace pc::targets_test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::optional<Clock::duration> probe(RawClient& client, std::uint16_t tid,
                                     std::chrono::milliseconds timeout) {
  const auto start = Clock::now();
  const std::string reply = client.transact(adu_hex(tid, 1, "03 00 02 00 01"), timeout);
  if (reply.empty() || reply == "closed") {
    return std::nullopt;
  }
  return Clock::now() - start;
}

// --- idle-sessions-kept (resource-exhaustion) ----------------------------------------

// Two silent peers fill a two-slot table; returns whether a third peer is served after
// waiting five idle timeouts.
bool served_after_silent_peers(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--max-connections", "2", "--idle-timeout-ms", "200"};
  args.insert(args.end(), extra.begin(), extra.end());
  ServerProcess server = start_modbus_ref(args);
  RawClient silent_a(server.port());
  RawClient silent_b(server.port());
  std::this_thread::sleep_for(1000ms);
  bool served = false;
  for (int attempt = 0; attempt < 20 && !served; ++attempt) {
    RawClient peer(server.port());
    served = probe(peer, 1, 10s).has_value();
    if (!served) {
      std::this_thread::sleep_for(100ms);
    }
  }
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
  return served;
}

TEST(TargetsLoadDefects, SilentPeersKeepTheirSlotsForeverWhenIdleSessionsAreKept) {
  EXPECT_FALSE(served_after_silent_peers({"--defect", "idle-sessions-kept"}));
}

TEST(TargetsLoadDefects, SilentPeersAreDroppedAfterTheIdleTimeout) {
  EXPECT_TRUE(served_after_silent_peers({}));
}

// --- unbounded-request-queue (degraded) -----------------------------------------------

struct FloodResult {
  std::uint16_t first_scan = 0;  // the scan counter in the first answer of the flood
  std::uint16_t last_scan = 0;   // ... and in the last one
  Clock::duration elapsed{};
};

// Pipelines `count` reads of the scan counter (IR 0) in one burst, reading the answers
// on a second thread, and reports the counter at both ends of the flood.
FloodResult flood(std::uint16_t port, int count) {
  RawClient flooder(port);
  std::string burst;
  for (int i = 0; i < count; ++i) {
    burst += adu_hex(static_cast<std::uint16_t>(i), 1, "04 00 00 00 01") + " ";
  }
  const auto bytes = from_hex(burst);
  FloodResult result;
  const auto start = Clock::now();
  std::thread reader([&flooder, &result, count] {
    for (int i = 0; i < count; ++i) {
      const auto adu = flooder.read_adu(60s);
      if (!adu || adu->size() != 11) {
        ADD_FAILURE() << "answer " << i << " missing";
        return;
      }
      const auto scan = static_cast<std::uint16_t>(((*adu)[9] << 8) | (*adu)[10]);
      (i == 0 ? result.first_scan : result.last_scan) = scan;
    }
  });
  flooder.send(bytes);
  reader.join();
  result.elapsed = Clock::now() - start;
  return result;
}

constexpr int kFloodSize = 30000;
constexpr auto kScan = 2ms;

TEST(TargetsLoadDefects, AFloodStopsTheScanCycleWhenTheQueueIsUnbounded) {
  ServerProcess server =
      start_modbus_ref({"--scan-ms", "2", "--defect", "unbounded-request-queue"});
  const FloodResult result = flood(server.port(), kFloodSize);
  // A healthy device scans every 2 ms; the flood lasted many scan periods...
  ASSERT_GT(result.elapsed, 10 * kScan) << "flood too short to tell";
  // ... yet the scan counter did not move while requests were queued.
  EXPECT_LE(static_cast<std::uint16_t>(result.last_scan - result.first_scan), 1);
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
}

TEST(TargetsLoadDefects, AFloodDoesNotStopTheScanCycle) {
  ServerProcess server = start_modbus_ref({"--scan-ms", "2"});
  const FloodResult result = flood(server.port(), kFloodSize);
  const auto periods = result.elapsed / kScan;
  const auto scans = static_cast<std::uint16_t>(result.last_scan - result.first_scan);
  if (periods >= 10) {
    EXPECT_GE(scans, 2) << "over " << periods << " scan periods";
  }
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
}

// --- partial-frame-block (hang) -------------------------------------------------------

// Sends 9 bytes of a 12-byte ADU on one connection and probes from another; returns the
// probe's latency and the baseline latency measured before.
std::pair<Clock::duration, Clock::duration> probe_around_partial_frame(
    const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--hang-ms", "3000"};
  args.insert(args.end(), extra.begin(), extra.end());
  ServerProcess server = start_modbus_ref(args);
  RawClient slow(server.port());
  RawClient bystander(server.port());
  const auto baseline = probe(bystander, 1, 10s);
  EXPECT_TRUE(baseline);
  slow.send_hex("00 02 00 00 00 06 01 03 00");
  std::this_thread::sleep_for(100ms);
  const auto during = probe(bystander, 3, 30s);
  EXPECT_TRUE(during) << "the device must answer again by itself";
  // The rest of the frame completes the request.
  slow.send_hex("02 00 01");
  EXPECT_EQ(to_hex(slow.read_adu(30s).value_or(std::vector<std::uint8_t>{})),
            adu_hex(2, 1, "03 02 01 f4"));
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
  return {baseline.value_or(Clock::duration{}), during.value_or(Clock::duration{})};
}

TEST(TargetsLoadDefects, APartialFrameBlocksEveryoneWhenTheHandlerWaitsForTheRest) {
  const auto [baseline, during] = probe_around_partial_frame({"--defect", "partial-frame-block"});
  EXPECT_GT(during, 10 * baseline);
  EXPECT_GE(during, 1000ms) << "--hang-ms 3000 minus the 100 ms head start, with slack";
}

TEST(TargetsLoadDefects, APartialFrameDoesNotDelayOthers) {
  const auto [baseline, during] = probe_around_partial_frame({});
  EXPECT_LT(during, 1000ms)
      << "well under --hang-ms; baseline was "
      << std::chrono::duration_cast<std::chrono::microseconds>(baseline).count() << " us";
}

}  // namespace
}  // namespace pc::targets_test
