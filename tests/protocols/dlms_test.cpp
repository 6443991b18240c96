// The DLMS/COSEM wrapper model (models/dlms.yaml) on every shared wrapper capture: each
// WPDU decodes to a named message type and re-encodes byte for byte, except the traffic
// that is broken on the wire (captures README, and the lengths below), listed by frame; every
// declared message type builds and decodes back. tshark 4.0 has no DLMS dissector: the
// values checked in dlms_values_test.cpp were read from the bytes by hand.
#include <gtest/gtest.h>

#include <map>

#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "core/model/printer.hpp"
#include "tests/protocols/model_checks.hpp"

namespace pc {
namespace {

std::shared_ptr<const model::Model> dlms() { return protocols::cached_model("dlms.yaml"); }

struct WrapperCapture {
  std::string file;
  uint16_t port;
  size_t apdus;
  // frames whose APDU is broken on the wire, and what the model makes of it
  std::map<uint64_t, std::string> broken;
};

// The Gurux RLREs carry an A-XDR user-information 3 to 4 bytes longer than the RLRE and
// user-information BER lengths say (the wrapper length covers all of it): they resolve,
// list their broken lengths and re-encode byte for byte. The two HLS APDUs with tag 0x00
// (captures README) have no APDU type: unresolved, kept byte for byte.
const std::vector<WrapperCapture> kCaptures = {
    {"wrapper_gurux_Output.pcap", 4063, 264, {{264, "release_response"}}},
    {"wrapper_gurux_Output-Ciphered-HLS.pcap",
     4063,
     266,
     {{9, "<unresolved>"}, {10, "<unresolved>"}, {266, "release_response"}}},
    {"wrapper_DLMS_list.pcap", 4059, 8, {}},
    {"wrapper_port5025_dlms.pcap", 5025, 46, {}},
};

dissect::Dissection dissect_file(const std::string& name, uint16_t port) {
  return protocols::dissect_file(*dlms(), protocols::capture_path("dlms", name), port);
}

class DlmsCapture : public ::testing::TestWithParam<WrapperCapture> {};

TEST_P(DlmsCapture, EveryWpduResolvesAndReencodesByteForByte) {
  ASSERT_TRUE(dlms());
  const auto& c = GetParam();
  auto d = dissect_file(c.file, c.port);
  EXPECT_EQ(d.decoded(), c.apdus);
  EXPECT_TRUE(d.unframed.empty()) << "frame " << d.unframed[0].frame << ": "
                                  << d.unframed[0].reason;
  std::map<uint64_t, std::string> broken;
  for (auto& m : d.messages) {
    model::Message copy = m.message;
    ASSERT_EQ(model::encode(copy), m.bytes) << "frame " << m.frame << "\n"
                                            << model::format_tree(m.message);
    if (!m.message.issues.empty() || !m.message.resolved()) {
      broken[m.frame] = m.message.type_name();
      continue;
    }
    for (uint32_t v = 0; v < m.message.values.size(); ++v) {
      if (m.message.values[v].flags & (model::kRaw | model::kExcess)) {
        ADD_FAILURE() << "raw or excess value in frame " << m.frame << " at " << m.message.path(v);
      }
    }
  }
  EXPECT_EQ(broken, c.broken);
}

// The APDU counts of the captures README, by kind.
TEST_P(DlmsCapture, ApduCountsMatchTheCapturesReadme) {
  const auto& c = GetParam();
  auto d = dissect_file(c.file, c.port);
  std::map<std::string, size_t> types;
  for (const auto& m : d.messages) ++types[m.message.type_name()];
  EXPECT_EQ(types["association_request"], 1u);
  EXPECT_EQ(types["association_response"], 1u);
  EXPECT_EQ(types["release_request"], 1u);
  EXPECT_EQ(types["release_response"], 1u);
  if (c.file == "wrapper_gurux_Output.pcap") {
    EXPECT_EQ(types["get_request_normal"], 127u);
    EXPECT_EQ(types["get_request_next"], 2u);
    EXPECT_EQ(types["get_response_normal"], 123u);
    EXPECT_EQ(types["get_response_with_datablock"], 6u);
    EXPECT_EQ(types["access_request"], 1u);
    EXPECT_EQ(types["access_response"], 1u);
  } else if (c.file == "wrapper_gurux_Output-Ciphered-HLS.pcap") {
    EXPECT_EQ(types["glo_get_request"], 129u);
    EXPECT_EQ(types["glo_get_response"], 129u);
    EXPECT_EQ(types["glo_action_request"], 1u);
    EXPECT_EQ(types["glo_action_response"], 1u);
    EXPECT_EQ(types["<unresolved>"], 2u);
  } else if (c.file == "wrapper_DLMS_list.pcap") {
    EXPECT_EQ(types["get_request_with_list"], 1u);
    EXPECT_EQ(types["get_response_with_list"], 1u);
    EXPECT_EQ(types["get_request_normal"], 1u);
    EXPECT_EQ(types["get_response_normal"], 1u);
  } else {
    EXPECT_EQ(types["get_request_normal"], 21u);
    EXPECT_EQ(types["get_response_normal"], 21u);
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, DlmsCapture, ::testing::ValuesIn(kCaptures), [](const auto& info) {
  std::string n = info.param.file.substr(0, info.param.file.find('.'));
  for (char& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
});

// Every message type the model declares: built with its defaults, encoded, decoded back
// to the same type with no broken rule, re-encoded to the same bytes.
TEST(DlmsMessageTypes, EveryTypeBuildsEncodesAndDecodesBack) {
  const auto& m = *dlms();
  ASSERT_GE(m.messages.size(), 50u);
  protocols::expect_every_type_builds(m);
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    const std::string name = m.str(m.messages[id].name);
    model::Message built = model::build(m, id);
    auto bytes = model::encode(built);
    model::Message back = model::decode(m, m.messages[id].direction, bytes);
    EXPECT_EQ(back.get("length"), static_cast<int64_t>(bytes.size()) - 8)
        << name << ": wrapper length";
    EXPECT_EQ(back.get("version"), 1) << name;
  }
}

// An edit the way a fuzzer makes it keeps the message consistent: a shorter octet string
// in a SET value shrinks its A-XDR length and the wrapper length with it.
TEST(DlmsMessageTypes, EditsKeepLengthsConsistent) {
  const auto& m = *dlms();
  // set-request-normal, Clock 0.0.1.0.0.255 attribute 2, an octet string of 200 bytes
  std::vector<uint8_t> apdu = {0xC1, 0x01, 0xC1, 0x00, 0x08, 0,    0,    1,
                               0,    0,    0xFF, 0x02, 0x00, 0x09, 0x81, 200};
  apdu.resize(apdu.size() + 200, 0xAB);
  std::vector<uint8_t> wire = {0x00, 0x01, 0x00, 0x10,
                               0x00, 0x01, 0x00, static_cast<uint8_t>(apdu.size())};
  wire.insert(wire.end(), apdu.begin(), apdu.end());
  model::Message decoded = model::decode(m, model::Direction::Request, wire);
  ASSERT_EQ(decoded.type_name(), "set_request_normal") << model::format_tree(decoded);
  EXPECT_TRUE(decoded.issues.empty()) << model::format_tree(decoded);
  EXPECT_EQ(decoded.get("apdu.service.value.length"), 200);
  EXPECT_EQ(decoded.get("apdu.service.descriptor.class_id"), 8);
  ASSERT_TRUE(
      decoded.set_bytes(decoded.find("apdu.service.value.value"), std::vector<uint8_t>(100, 0xCD)));
  auto out = model::encode(decoded);
  model::Message back = model::decode(m, model::Direction::Request, out);
  EXPECT_TRUE(back.issues.empty()) << model::format_tree(back);
  EXPECT_EQ(back.get("apdu.service.value.length"), 100);
  EXPECT_EQ(back.get("length"), static_cast<int64_t>(out.size()) - 8);
  EXPECT_EQ(model::encode(back), out);
}

}  // namespace
}  // namespace pc
