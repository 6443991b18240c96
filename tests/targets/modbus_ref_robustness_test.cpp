// pc-modbus-ref with every defect off under mutated input: seeded single-field and
// random mutations of valid requests and random byte streams. The device must keep
// answering (each batch ends with a probe that must come back) and shut down cleanly
// with no sanitizer report.
#include <random>

#include "modbus_ref_test_fixture.hpp"

namespace pc::targets_test {
namespace {

using namespace std::chrono_literals;

// Valid requests of every function code, as PDU hex.
const std::vector<std::string> kSeeds = {"01 00 00 00 10",
                                         "02 00 08 00 20",
                                         "03 00 00 00 05",
                                         "04 00 00 00 05",
                                         "05 00 03 ff 00",
                                         "06 00 03 12 34",
                                         "07",
                                         "08 00 00 12 34",
                                         "08 00 02 00 00",
                                         "08 00 0b 00 00",
                                         "0b",
                                         "0c",
                                         "0f 00 10 00 09 02 ff 01",
                                         "10 00 10 00 02 04 00 01 00 02",
                                         "11",
                                         "14 07 06 00 01 00 00 00 02",
                                         "15 09 06 00 01 00 00 00 01 12 34",
                                         "16 00 04 00 f2 00 25",
                                         "17 00 00 00 02 00 10 00 01 02 00 07",
                                         "18 00 64",
                                         "2b 0e 01 00",
                                         "2b 0e 04 80"};

std::vector<std::uint8_t> mutate(std::vector<std::uint8_t> pdu, std::mt19937& rng) {
  static constexpr std::uint8_t kInteresting[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
  std::uniform_int_distribution<int> choice(0, 5);
  std::uniform_int_distribution<std::size_t> where(0, pdu.size() - 1);
  switch (choice(rng)) {
    case 0:
      pdu[where(rng)] = kInteresting[choice(rng)];
      break;
    case 1:
      pdu[where(rng)] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
      break;
    case 2:
      if (pdu.size() > 1) {
        pdu.pop_back();
      }
      break;
    case 3:
      pdu.push_back(static_cast<std::uint8_t>(rng()));
      break;
    case 4: {
      const std::size_t at = where(rng);
      if (at + 1 < pdu.size()) {
        pdu[at] = 0xFF;
        pdu[at + 1] = 0xFF;
      }
      break;
    }
    default:
      pdu[where(rng)] = static_cast<std::uint8_t>(rng());
      break;
  }
  return pdu;
}

std::vector<std::uint8_t> wrap(std::uint16_t tid, const std::vector<std::uint8_t>& pdu) {
  return from_hex(adu_hex(tid, 1, to_hex(pdu)));
}

using TargetsModbusRefRobustness = ModbusRefFixture;

TEST_F(TargetsModbusRefRobustness, MutatedRequestsNeverBreakTheDevice) {
  std::mt19937 rng(20240611);
  // The probe: leave listen only mode if a mutation entered it (silently), then read.
  const std::string probe =
      adu_hex(0xFFFF, 1, "08 00 01 00 00") + adu_hex(0xFFFE, 1, "03 00 02 00 01");
  for (int batch = 0; batch < 200; ++batch) {
    std::vector<std::uint8_t> bytes;
    for (int i = 0; i < 50; ++i) {
      const auto& seed = kSeeds[rng() % kSeeds.size()];
      auto pdu = mutate(from_hex(seed), rng);
      if (rng() % 3 == 0) {
        pdu = mutate(std::move(pdu), rng);
      }
      if (pdu.size() > 253) {
        pdu.resize(253);
      }
      const auto adu = wrap(static_cast<std::uint16_t>(i), pdu);
      bytes.insert(bytes.end(), adu.begin(), adu.end());
    }
    client.send(bytes);
    client.send_hex(probe);
    bool probed = false;
    while (!probed) {
      const auto adu = client.read_adu(10s);
      ASSERT_TRUE(adu) << "batch " << batch << ": the device stopped answering";
      probed = (*adu)[0] == 0xFF && (*adu)[1] == 0xFE;
      if (probed) {
        // A normal FC 03 answer with one register (its value may have been rewritten).
        EXPECT_EQ(to_hex(*adu).substr(0, 26), "ff fe 00 00 00 05 01 03 02");
      }
    }
  }
}

TEST_F(TargetsModbusRefRobustness, RandomByteStreamsOnlyCloseTheirOwnConnection) {
  std::mt19937 rng(77);
  for (int round = 0; round < 40; ++round) {
    RawClient peer(server.port());
    std::vector<std::uint8_t> noise(1 + rng() % 600);
    for (auto& b : noise) {
      b = static_cast<std::uint8_t>(rng());
    }
    if (round % 2 == 0 && noise.size() > 4) {
      noise[2] = 0;  // a plausible header more often
      noise[3] = 0;
      noise[4] = 0;
    }
    peer.send(noise);
    (void)peer.read_adu(20ms);
  }
  EXPECT_EQ(ask(1, "03 00 02 00 01"), answer(1, "03 02 01 f4"));
}

}  // namespace
}  // namespace pc::targets_test
