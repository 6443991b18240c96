// The DLMS/COSEM HDLC model (models/dlms-hdlc.yaml) on the shared HDLC captures (TCP,
// UDP and raw serial frames): every frame decodes to a named message type and re-encodes
// byte for byte; HCS and FCS are the CRC-16/X-25 of the ranges the HDLC profile names;
// 1- and 2-byte addresses, parameter negotiation and segmentation carry the values read
// from the bytes by hand; every message type builds and decodes back; and the xDLMS
// part of the file is the same text as models/dlms.yaml's.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

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

std::shared_ptr<const model::Model> hdlc() { return protocols::cached_model("dlms-hdlc.yaml"); }

dissect::Dissection dissect_file(const std::string& name, uint16_t port) {
  return protocols::dissect_file(*hdlc(), protocols::capture_path("dlms", name), port);
}

// CRC-16/X-25 (ISO/IEC 13239 FCS-16), written here independently of the model's.
uint16_t crc_x25(std::span<const uint8_t> data) {
  uint16_t crc = 0xFFFF;
  for (uint8_t b : data) {
    crc ^= b;
    for (int i = 0; i < 8; ++i)
      crc =
          (crc & 1) ? static_cast<uint16_t>((crc >> 1) ^ 0x8408) : static_cast<uint16_t>(crc >> 1);
  }
  return static_cast<uint16_t>(~crc);
}

struct HdlcCapture {
  std::string file;
  uint16_t port;  // 0: link-layer frames
  size_t frames;
  std::map<uint64_t, std::string> broken;               // frame -> type, with broken rules
  std::vector<std::pair<uint64_t, uint64_t>> unframed;  // frame, bytes
};

// hdlc_udp_sample.pcap: datagram 3 (an AARQ) has a wrong FCS (captures README); datagrams
// 41, 42 and 44-51 are not HDLC frames but APDUs behind the IEC 61334-4-32 LLC header
// 90 01 01, another DLMS profile this model does not cover.
const std::vector<HdlcCapture> kCaptures = {
    {"hdlc_tcp_original_data.pcapng", 4060, 198, {}, {}},
    {"hdlc_udp_sample.pcap",
     4059,
     41,
     {{3, "association_request"}},
     {{41, 59},
      {42, 6},
      {44, 59},
      {45, 46},
      {46, 34},
      {47, 30},
      {48, 7},
      {49, 19},
      {50, 8},
      {51, 5}}},
    {"hdlc_user0_sample_serial.pcap", 0, 10, {}, {}},
};

class HdlcFrames : public ::testing::TestWithParam<HdlcCapture> {};

TEST_P(HdlcFrames, EveryFrameResolvesReencodesAndCarriesItsChecks) {
  ASSERT_TRUE(hdlc());
  const auto& c = GetParam();
  auto d = dissect_file(c.file, c.port);
  EXPECT_EQ(d.decoded(), c.frames);
  std::vector<std::pair<uint64_t, uint64_t>> unframed;
  for (const auto& u : d.unframed) unframed.emplace_back(u.frame, u.size);
  EXPECT_EQ(unframed, c.unframed);
  std::map<uint64_t, std::string> broken;
  for (auto& m : d.messages) {
    const auto& msg = m.message;
    model::Message copy = msg;
    ASSERT_EQ(model::encode(copy), m.bytes) << "frame " << m.frame << "\n"
                                            << model::format_tree(msg);
    ASSERT_TRUE(msg.resolved()) << "frame " << m.frame << "\n" << model::format_tree(msg);
    if (!msg.issues.empty()) broken[m.frame] = msg.type_name();
    // the checks, recomputed here: HCS over format..control, FCS over format..information
    const auto& b = m.bytes;
    ASSERT_GE(b.size(), 9u);
    EXPECT_EQ(b.size(), 2u + (((b[1] & 7u) << 8) | b[2])) << "frame length, frame " << m.frame;
    uint32_t fcs_at = static_cast<uint32_t>(b.size()) - 3;
    uint16_t fcs = static_cast<uint16_t>(b[fcs_at] | (b[fcs_at + 1] << 8));
    EXPECT_EQ(msg.get("fcs"), fcs);
    if (!broken.count(m.frame)) {
      EXPECT_EQ(fcs, crc_x25(std::span<const uint8_t>(b).subspan(1, fcs_at - 1)))
          << "FCS, frame " << m.frame;
    }
    uint32_t hcs = msg.find("hcs");
    if (hcs != model::kNone) {
      uint32_t at = msg.values[hcs].offset;
      EXPECT_EQ(static_cast<int64_t>(msg.values[hcs].num),
                crc_x25(std::span<const uint8_t>(b).subspan(1, at - 1)))
          << "HCS, frame " << m.frame;
      EXPECT_GT(fcs_at, at + 2) << "an HCS only before an information field";
    } else {
      EXPECT_EQ(msg.values[msg.find("control")].offset + 1, fcs_at)
          << "no HCS, no information, frame " << m.frame;
    }
  }
  EXPECT_EQ(broken, c.broken);
}

// The frame and APDU counts of the captures README.
TEST_P(HdlcFrames, CountsMatchTheCapturesReadme) {
  const auto& c = GetParam();
  auto d = dissect_file(c.file, c.port);
  std::map<std::string, size_t> types;
  size_t i_frames = 0, segmented = 0;
  for (const auto& m : d.messages) {
    ++types[m.message.type_name()];
    auto control = m.message.get("control");
    i_frames += control && (*control & 1) == 0;
    segmented += m.message.get("format.segmentation") == 1;
  }
  EXPECT_EQ(types["set_normal_response_mode"], 1u);
  EXPECT_EQ(types["disconnect"], 1u);
  if (c.file == "hdlc_tcp_original_data.pcapng") {
    EXPECT_EQ(types["unnumbered_acknowledge"], 2u);
    EXPECT_EQ(types["receive_ready"], 22u);
    EXPECT_EQ(i_frames, 172u);
    EXPECT_EQ(segmented, 22u);
    EXPECT_EQ(types["get_request_normal"], 65u);
    EXPECT_EQ(types["get_request_next"], 2u);
    EXPECT_EQ(types["get_response_normal"], 63u);
    EXPECT_EQ(types["first_segment"], 4u)
        << "the 4 GET-Response-With-Datablock APDUs start segmented";
    EXPECT_EQ(types["set_request_normal"], 7u);
    EXPECT_EQ(types["set_response_normal"], 7u);
  } else if (c.file == "hdlc_udp_sample.pcap") {
    EXPECT_EQ(types["unnumbered_acknowledge"], 1u);
    EXPECT_EQ(types["receive_ready"], 8u);
    EXPECT_EQ(i_frames, 30u);
    EXPECT_EQ(segmented, 8u);
    EXPECT_EQ(types["get_request_normal"] + types["get_request_next"], 10u);
    EXPECT_EQ(types["get_response_with_datablock"] + types["first_segment"], 9u);
  } else {
    EXPECT_EQ(types["unnumbered_acknowledge"], 1u);
    EXPECT_EQ(types["disconnected_mode"], 1u);
    EXPECT_EQ(i_frames, 6u);
    EXPECT_EQ(types["action_request_normal"], 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, HdlcFrames, ::testing::ValuesIn(kCaptures), [](const auto& info) {
  std::string n = info.param.file.substr(0, info.param.file.find('.'));
  for (char& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
});

const dissect::DissectedMessage* frame(const dissect::Dissection& d, uint64_t n) {
  for (const auto& m : d.messages) {
    if (m.frame == n) return &m;
  }
  ADD_FAILURE() << "no frame " << n;
  return nullptr;
}

// Read by hand from the bytes: addresses, control, checks, LLC and APDU, negotiation.
TEST(HdlcValues, FramesOfTheResearchNotes) {
  auto tcp = dissect_file("hdlc_tcp_original_data.pcapng", 4060);
  const auto* get = frame(tcp, 10);
  ASSERT_TRUE(get);
  const auto& g = get->message;
  ASSERT_EQ(g.type_name(), "get_request_normal") << model::format_tree(g);
  EXPECT_EQ(g.get("format.format_type"), 0xA);
  EXPECT_EQ(g.get("format.segmentation"), 0);
  EXPECT_EQ(g.get("format.length"), 25);
  EXPECT_EQ(g.get("destination_address.address.value"), 1);
  EXPECT_EQ(g.get("source_address.address.value"), 16);
  EXPECT_EQ(g.get("control"), 0x32);  // I-frame N(S)=1, P=1, N(R)=1
  EXPECT_EQ(g.get("hcs"), 0xD86F);
  EXPECT_EQ(g.get("fcs"), 0x5391);
  EXPECT_EQ(g.get("information.llc.source_lsap"), 0xE6);
  EXPECT_EQ(g.get("information.apdu.service.invoke_id_and_priority"), 0xC1);
  EXPECT_EQ(g.get("information.apdu.service.descriptor.class_id"), 15);
  EXPECT_EQ(g.get("information.apdu.service.descriptor.instance_id.c"), 40);
  EXPECT_EQ(g.get("information.apdu.service.descriptor.attribute_id"), 2);

  const auto* snrm = frame(tcp, 4);  // no information, so no HCS
  ASSERT_TRUE(snrm);
  EXPECT_EQ(snrm->message.type_name(), "set_normal_response_mode");
  EXPECT_EQ(snrm->message.get("control"), 0x93);
  EXPECT_EQ(snrm->message.find("hcs"), model::kNone);
  EXPECT_EQ(snrm->message.get("fcs"), 0x010F);

  const auto* ua = frame(tcp, 6);  // negotiated parameters
  ASSERT_TRUE(ua);
  const auto& u = ua->message;
  EXPECT_EQ(u.type_name(), "unnumbered_acknowledge");
  EXPECT_EQ(u.get("hcs"), 0x7AC3);
  EXPECT_EQ(u.get("information.group_length"), 0x12);
  const int64_t want[][2] = {{5, 0x80}, {6, 0x80}, {7, 1}, {8, 1}};
  for (int i = 0; i < 4; ++i) {
    const std::string p = "information.parameters[" + std::to_string(i) + "].";
    EXPECT_EQ(u.get(p + "id"), want[i][0]);
    EXPECT_EQ(u.get(p + "value"), want[i][1]);
  }

  const auto* seg = frame(tcp, 11);  // first segment of a GET-Response-With-Datablock
  ASSERT_TRUE(seg);
  EXPECT_EQ(seg->message.type_name(), "first_segment");
  EXPECT_EQ(seg->message.get("format.segmentation"), 1);
  EXPECT_EQ(seg->message.get("format.length"), 126);
  EXPECT_EQ(seg->message.get("control"), 0x52);
  EXPECT_EQ(seg->message.get("information.llc.source_lsap"), 0xE7);
  auto piece = seg->message.bytes(seg->message.find("information.segment"));
  ASSERT_GE(piece.size(), 4u);
  EXPECT_EQ(piece[0], 0xC4);
  EXPECT_EQ(piece[1], 0x02);
  EXPECT_TRUE(seg->message.field(seg->message.find("information.segment"))->opaque);
  std::vector<uint64_t> pieces;
  for (const auto& m : tcp.messages) {
    if (m.message.get("format.segmentation") == 1 || m.message.type_name() == "last_segment")
      pieces.push_back(m.frame);
  }
  EXPECT_EQ(pieces, (std::vector<uint64_t>{11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35,
                                           52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76}));

  // a 2-byte server address (serial capture, frame 1): upper 1, lower 16; client 48
  auto serial = dissect_file("hdlc_user0_sample_serial.pcap", 0);
  const auto* s = frame(serial, 1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->message.type_name(), "set_normal_response_mode");
  EXPECT_EQ(s->message.get("format.length"), 8);
  EXPECT_EQ(s->message.get("destination_address.address.upper"), 1);
  EXPECT_EQ(s->message.get("destination_address.address.lower"), 16);
  EXPECT_EQ(s->message.get("source_address.address.value"), 48);

  // UDP datagram 6: GET-Response-Normal with data-access-result read-write-denied
  auto udp = dissect_file("hdlc_udp_sample.pcap", 4059);
  const auto* r = frame(udp, 6);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->message.type_name(), "get_response_normal");
  EXPECT_EQ(r->message.get("information.apdu.service.result.choice"), 1);
  EXPECT_EQ(r->message.get("information.apdu.service.result.data_access_result"), 3);
}

TEST(HdlcMessageTypes, EveryTypeBuildsEncodesAndDecodesBack) {
  const auto& m = *hdlc();
  ASSERT_GE(m.messages.size(), 100u);
  protocols::expect_every_type_builds(m);
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    const std::string name = m.str(m.messages[id].name);
    model::Message built = model::build(m, id);
    auto bytes = model::encode(built);
    model::Message back = model::decode(m, m.messages[id].direction, bytes);
    ASSERT_GE(bytes.size(), 9u);
    EXPECT_EQ(bytes.front(), 0x7E);
    EXPECT_EQ(bytes.back(), 0x7E);
    EXPECT_EQ(bytes.size(), 2u + (((bytes[1] & 7u) << 8) | bytes[2])) << name;
    bool information = back.find("information") != model::kNone;
    EXPECT_EQ(back.find("hcs") != model::kNone, information)
        << name << ": an HCS exactly when information follows";
  }
}

// The xDLMS types are written twice (a model file cannot include another): the copy in
// dlms-hdlc.yaml must be the same text as the one in dlms.yaml.
TEST(HdlcMessageTypes, XdlmsTypesAreTheSameAsTheWrapperModels) {
  auto read = [](const std::string& name) {
    std::ifstream in(std::string(PC_MODELS_DIR) + "/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const std::string marker =
      "  # ================================================================ ACSE (BER)";
  std::string wrapper = read("dlms.yaml"), framed = read("dlms-hdlc.yaml");
  size_t a = wrapper.find(marker), b = framed.find(marker);
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_TRUE(wrapper.compare(a, std::string::npos, framed, b, std::string::npos) == 0)
      << "models/dlms-hdlc.yaml's xDLMS part differs from models/dlms.yaml's";
}

}  // namespace
}  // namespace pc
