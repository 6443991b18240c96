// The IEC 60870-5-104 model on the shared captures: every APDU decodes and re-encodes
// byte for byte, APCI and ASDU header values equal tshark's, the torture capture's
// junk and short APDUs are accounted for, every message type builds, and tshark accepts
// what the model emits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/model/test_util.hpp"
#include "tests/protocols/model_checks.hpp"

namespace pc::protocols {
namespace {

using model::test::hex;
using model::test::to_hex;
using nlohmann::json;

const std::vector<std::string> kCaptures = {"090813_diverse.pcap", "JavaRMI_and_IEC_Misc.pcap",
                                            "TestDissectIec104.pcap", "iec104.pcap"};

std::shared_ptr<const model::Model> iec104() {
  static auto m = load_model("iec104.yaml");
  return m;
}

std::string path_of(const std::string& file) {
  return capture_path("iec104", file);
}

const std::string kAsdu = "apci.asdu.";
const std::string kBody = "apci.asdu.body.";

// What each capture breaks on purpose (rule id -> frames) and which bytes do not frame.
struct Expected {
  std::map<std::string, std::vector<uint64_t>> broken;
  std::set<uint64_t> unresolved;
  std::vector<std::pair<uint64_t, uint64_t>> unframed;  // (frame, bytes)
};

std::map<std::string, Expected> expectations() {
  Expected diverse;
  // the controlling station writes the year of CP56Time2a as 109 (years since 1900)
  diverse.broken = {{"cp56time2a.year.value.range", {9, 13, 39, 43, 115, 119, 133, 137, 154, 158}}};
  Expected torture;
  // TestDissectIec104.pcap, a dissector torture test: junk before 0x68, APDUs whose
  // length is below 4 (no room for the control field: they do not frame), I-format
  // APDUs cut short, an S-format APDU with octets after its control field, a U-format
  // APDU with two function bits set
  torture.broken = {{"structure.truncated", {25, 41, 56, 83, 94}},
                    {"structure.trailing", {36, 71, 73}},
                    {"u_format.control.function.enum", {36}},
                    {"u_format.control.reserved.const", {36}},
                    {"s_format.control.reserved.const", {71, 73}}};
  torture.unresolved = {25};  // "68 04 16 16 16 16": I format with no ASDU at all
  torture.unframed = {{7, 2},   {9, 3},  {11, 4},  {16, 12}, {18, 5},  {23, 17}, {25, 2},
                      {36, 7},  {36, 2}, {41, 8},  {41, 2},  {56, 8},  {58, 2},  {71, 9},
                      {71, 12}, {75, 3}, {83, 10}, {83, 2},  {94, 10}, {96, 2}};
  return {{"090813_diverse.pcap", diverse}, {"TestDissectIec104.pcap", torture}};
}

class Iec104Capture : public ::testing::TestWithParam<std::string> {};

TEST_P(Iec104Capture, EveryApduDecodesAndReencodes) {
  auto d = dissect_file(*iec104(), path_of(GetParam()));
  ASSERT_GT(d.decoded(), 0u);
  Expected want = expectations()[GetParam()];
  expect_lossless(d, want.unresolved);
  std::set<uint64_t> unresolved;
  for (const auto& m : d.messages) {
    if (!m.message.resolved()) unresolved.insert(m.frame);
  }
  EXPECT_EQ(unresolved, want.unresolved);
  EXPECT_EQ(broken_rules(d), want.broken);
  std::vector<std::pair<uint64_t, uint64_t>> unframed;
  for (const auto& u : d.unframed) unframed.emplace_back(u.frame, u.size);
  EXPECT_EQ(unframed, want.unframed);
}

// tshark's APDUs by frame: (APCI layer object, ASDU layer object or null)
std::map<uint64_t, std::vector<std::pair<json, json>>> tshark_apdus(const std::string& path) {
  auto r = test::run({"tshark", "-r", path, "-Y", "iec60870_104", "-T", "json",
                      "--no-duplicate-keys", "-J", "frame iec60870_104 iec60870_asdu"},
                     300);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<uint64_t, std::vector<std::pair<json, json>>> out;
  auto as_list = [](const json& j) { return j.is_array() ? j : json::array({j}); };
  for (const auto& pkt : json::parse(r.out)) {
    const json& layers = pkt["_source"]["layers"];
    uint64_t frame = std::stoull(layers["frame"]["frame.number"].get<std::string>());
    json apci = as_list(layers["iec60870_104"]);
    json asdus =
        layers.contains("iec60870_asdu") ? as_list(layers["iec60870_asdu"]) : json::array();
    size_t next_asdu = 0;
    for (const auto& a : apci) {
      json asdu = nullptr;
      if (a.contains("iec60870_104.type") &&
          std::stoll(a["iec60870_104.type"].get<std::string>(), nullptr, 0) == 0 &&
          next_asdu < asdus.size()) {
        asdu = asdus[next_asdu++];
      }
      out[frame].emplace_back(a, asdu);
    }
  }
  return out;
}

std::optional<int64_t> json_field(const json& j, const std::string& key) {
  if (!j.is_object()) return std::nullopt;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == key && it.value().is_string())
      return std::stoll(it.value().get<std::string>(), nullptr, 0);
    if (it.value().is_object()) {
      if (auto v = json_field(it.value(), key)) return v;
    }
  }
  return std::nullopt;
}

TEST_P(Iec104Capture, FieldValuesEqualTsharks) {
  auto d = dissect_file(*iec104(), path_of(GetParam()));
  auto ts = tshark_apdus(path_of(GetParam()));
  std::map<uint64_t, std::vector<const model::Message*>> ours;
  for (const auto& m : d.messages) ours[m.last_frame].push_back(&m.message);
  std::vector<uint64_t> differ;  // frames where tshark cuts the bytes into other APDUs
  size_t compared = 0;
  for (const auto& entry : ours) {
    const uint64_t frame = entry.first;
    const auto& msgs = entry.second;
    auto it = ts.find(frame);
    if (it == ts.end() || it->second.size() != msgs.size()) {
      differ.push_back(frame);
      continue;
    }
    for (size_t i = 0; i < msgs.size(); ++i) {
      const model::Message& m = *msgs[i];
      const json& apci = it->second[i].first;
      const json& asdu = it->second[i].second;
      auto check = [&](const json& layer, const char* key, std::optional<int64_t> ours_value) {
        auto t = json_field(layer, key);
        if (!t) return;
        ASSERT_TRUE(ours_value.has_value())
            << "frame " << frame << ": tshark has " << key << " = " << *t << "\n"
            << model::format_tree(m);
        EXPECT_EQ(*ours_value, *t) << "frame " << frame << " " << key << "\n"
                                   << model::format_tree(m);
        ++compared;
      };
      check(apci, "iec60870_104.apdulen", m.get("length"));
      auto format = m.get("apci.control.format");
      check(apci, "iec60870_104.type",
            format ? std::optional<int64_t>(*format == 2 ? 0 : *format) : std::nullopt);
      check(apci, "iec60870_104.tx", m.get("apci.control.send_sequence"));
      check(apci, "iec60870_104.rx", m.get("apci.control.receive_sequence"));
      check(apci, "iec60870_104.utype", m.get("apci.control.function"));
      if (asdu.is_null()) continue;
      check(asdu, "iec60870_asdu.typeid", m.get(kAsdu + "type_id"));
      check(asdu, "iec60870_asdu.sq", m.get(kBody + "vsq.sq"));
      check(asdu, "iec60870_asdu.numix", m.get(kBody + "vsq.number"));
      check(asdu, "iec60870_asdu.causetx", m.get(kBody + "cot.cause"));
      check(asdu, "iec60870_asdu.nega", m.get(kBody + "cot.negative"));
      check(asdu, "iec60870_asdu.test", m.get(kBody + "cot.test"));
      check(asdu, "iec60870_asdu.oa", m.get(kBody + "originator"));
      check(asdu, "iec60870_asdu.addr", m.get(kBody + "common_address"));
      check(asdu, "iec60870_asdu.ioa", m.get(kBody + "objects[0].ioa"));
      check(asdu, "iec60870_asdu.qoi", m.get(kBody + "objects[0].qoi"));
      check(asdu, "iec60870_asdu.cp56time.ms", m.get(kBody + "objects[0].time.milliseconds"));
      check(asdu, "iec60870_asdu.cp56time.min", m.get(kBody + "objects[0].time.minute.value"));
      check(asdu, "iec60870_asdu.cp56time.hour", m.get(kBody + "objects[0].time.hour.value"));
      check(asdu, "iec60870_asdu.cp56time.day", m.get(kBody + "objects[0].time.day.value"));
      check(asdu, "iec60870_asdu.cp56time.month", m.get(kBody + "objects[0].time.month.value"));
    }
  }
  EXPECT_TRUE(differ.empty()) << "frames where tshark cuts other APDUs, first " << differ.front();
  // tshark also shows the torture capture's APDUs with a length below 4 ("APDU less than
  // 4 bytes"), which the model does not frame
  std::vector<uint64_t> tshark_only;
  for (const auto& entry : ts) {
    if (!ours.count(entry.first)) tshark_only.push_back(entry.first);
  }
  std::map<std::string, std::vector<uint64_t>> known = {
      {"TestDissectIec104.pcap", {11, 16, 18, 23}}};
  EXPECT_EQ(tshark_only, known[GetParam()]);
  EXPECT_GT(compared, 4 * d.decoded());
}

TEST_P(Iec104Capture, ChangedOctetsStillDecodeAndReencode) {
  expect_mutants_lossless(dissect_file(*iec104(), path_of(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Shared, Iec104Capture, ::testing::ValuesIn(kCaptures),
                         [](const auto& info) {
                           std::string n = info.param.substr(0, info.param.find('.'));
                           for (char& c : n)
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

model::Message decode_hex(model::Direction dir, const char* text) {
  return model::decode(*iec104(), dir, hex(text));
}

// The issue's generality test: an I-frame with an ASDU, a time-tagged I-frame, an S-frame
// and U-frames; the expected values are what tshark 4.0 shows for these frames.
TEST(Iec104, InterrogationIFrame) {
  // iec104.pcap frame 9: apdulen=14 type=0 tx=0 rx=0 typeid=100 sq=0 numix=1 causetx=6
  // nega=0 test=0 oa=0 addr=10 ioa=0 qoi=20
  const char* text = "68 0e 00 00 00 00 64 01 06 00 0a 00 00 00 00 14";
  model::Message m = decode_hex(model::Direction::Request, text);
  EXPECT_TRUE(m.issues.empty()) << model::format_tree(m);
  EXPECT_EQ(m.type_name(), "c_ic_na_1");
  EXPECT_EQ(m.get("length"), 14);
  EXPECT_EQ(m.get("apci.control.format"), 0);
  EXPECT_EQ(m.get("apci.control.send_sequence"), 0);
  EXPECT_EQ(m.get("apci.control.receive_sequence"), 0);
  EXPECT_EQ(m.get(kAsdu + "type_id"), 100);
  EXPECT_EQ(m.get(kBody + "vsq.sq"), 0);
  EXPECT_EQ(m.get(kBody + "vsq.number"), 1);
  EXPECT_EQ(m.get(kBody + "cot.cause"), 6);
  EXPECT_EQ(m.get(kBody + "cot.negative"), 0);
  EXPECT_EQ(m.get(kBody + "cot.test"), 0);
  EXPECT_EQ(m.get(kBody + "originator"), 0);
  EXPECT_EQ(m.get(kBody + "common_address"), 10);
  EXPECT_EQ(m.get(kBody + "objects[0].ioa"), 0);
  EXPECT_EQ(m.get(kBody + "objects[0].qoi"), 20);
  EXPECT_EQ(to_hex(model::encode(m)), to_hex(hex(text)));
}

TEST(Iec104, TimeTaggedIFramesInOneSegment) {
  // iec104.pcap frame 88: C_SE_NC_1 then M_ME_TF_1 with CP56Time2a; tshark: tx=73,74
  // rx=16,16 typeid=50,36 ioa=12,12 float=9.87 cp56time Jul 4, 2013 08:24:14.307 (dow 4)
  auto d = dissect_file(*iec104(), path_of("iec104.pcap"));
  std::vector<const model::Message*> in88;
  for (const auto& m : d.messages) {
    if (m.frame == 88) in88.push_back(&m.message);
  }
  ASSERT_EQ(in88.size(), 2u);
  const model::Message& set = *in88[0];
  EXPECT_EQ(set.type_name(), "c_se_nc_1");
  EXPECT_EQ(set.get("apci.control.send_sequence"), 73);
  EXPECT_EQ(set.get(kBody + "cot.cause"), 10);
  EXPECT_EQ(set.get(kBody + "objects[0].value"), 0x411DEB85);  // 9.87 as an IEEE 754 single
  EXPECT_EQ(set.get(kBody + "objects[0].qos.se"), 0);
  const model::Message& m = *in88[1];
  EXPECT_EQ(m.type_name(), "m_me_tf_1");
  EXPECT_EQ(m.get("length"), 25);
  EXPECT_EQ(m.get("apci.control.send_sequence"), 74);
  EXPECT_EQ(m.get("apci.control.receive_sequence"), 16);
  EXPECT_EQ(m.get(kBody + "cot.cause"), 3);
  EXPECT_EQ(m.get(kBody + "common_address"), 10);
  EXPECT_EQ(m.get(kBody + "objects[0].ioa"), 12);
  EXPECT_EQ(m.get(kBody + "objects[0].value"), 0x411DEB85);
  EXPECT_EQ(m.get(kBody + "objects[0].qds"), 0);
  EXPECT_EQ(m.get(kBody + "objects[0].time.milliseconds"), 14307);
  EXPECT_EQ(m.get(kBody + "objects[0].time.minute.value"), 24);
  EXPECT_EQ(m.get(kBody + "objects[0].time.hour.value"), 8);
  EXPECT_EQ(m.get(kBody + "objects[0].time.day.value"), 4);
  EXPECT_EQ(m.get(kBody + "objects[0].time.day.day_of_week"), 4);
  EXPECT_EQ(m.get(kBody + "objects[0].time.month.value"), 7);
  EXPECT_EQ(m.get(kBody + "objects[0].time.year.value"), 13);
  EXPECT_TRUE(m.issues.empty()) << model::format_tree(m);
}

TEST(Iec104, FifteenBitSequenceNumbers) {
  // 090813_diverse.pcap frame 168: N(S) = 128 puts 0 in octet 1 and 1 in octet 2
  const char* text = "68 12 00 01 4e 00 0d 01 03 00 03 00 14 05 00 00 00 f9 43 00";
  model::Message m = decode_hex(model::Direction::Response, text);
  EXPECT_EQ(m.type_name(), "m_me_nc_1");
  EXPECT_EQ(m.get("apci.control.send_sequence"), 128);
  EXPECT_EQ(m.get("apci.control.receive_sequence"), 39);
  EXPECT_EQ(m.get(kBody + "objects[0].ioa"), 1300);
  EXPECT_EQ(m.get(kBody + "objects[0].value"), 0x43F90000);  // 498.0
  m.set("apci.control.send_sequence", 0x7FFF);
  m.set("apci.control.receive_sequence", 0x4001);
  auto out = model::encode(m);
  EXPECT_EQ(to_hex(std::span(out).subspan(2, 4)), "fe ff 02 80");
}

TEST(Iec104, SequenceOfElementsHasOneAddress) {
  // JavaRMI_and_IEC_Misc.pcap frame 17: M_SP_NA_1 with SQ = 1, ten elements from IOA 10010
  auto d = dissect_file(*iec104(), path_of("JavaRMI_and_IEC_Misc.pcap"));
  const model::Message* m = nullptr;
  for (const auto& x : d.messages) {
    if (x.frame == 17) m = &x.message;
  }
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->type_name(), "m_sp_na_1");
  EXPECT_EQ(m->get(kBody + "vsq.sq"), 1);
  EXPECT_EQ(m->get(kBody + "vsq.number"), 10);
  EXPECT_EQ(m->get(kBody + "objects[0].ioa"), 10010);
  EXPECT_EQ(m->find(kBody + "objects[1].ioa"), model::kNone);
  EXPECT_EQ(m->get(kBody + "objects[1].siq.iv"), 1);
  EXPECT_NE(m->find(kBody + "objects[9].siq"), model::kNone);
  EXPECT_TRUE(m->issues.empty());
}

TEST(Iec104, SFrameAndUFrames) {
  // 090813_diverse.pcap frame 172: tshark apdulen=4 type=1 rx=130
  model::Message s = decode_hex(model::Direction::Request, "68 04 01 00 04 01");
  EXPECT_EQ(s.type_name(), "s_format");
  EXPECT_EQ(s.get("length"), 4);
  EXPECT_EQ(s.get("apci.control.format"), 1);
  EXPECT_EQ(s.get("apci.control.receive_sequence"), 130);
  EXPECT_TRUE(s.issues.empty());
  // iec104.pcap frames 4, 5, 7, 8: tshark utype 0x10, 0x20, 0x01, 0x02
  const std::vector<std::tuple<const char*, const char*, int>> u = {
      {"68 04 43 00 00 00", "testfr_act", 0x10},
      {"68 04 83 00 00 00", "testfr_con", 0x20},
      {"68 04 07 00 00 00", "startdt_act", 0x01},
      {"68 04 0b 00 00 00", "startdt_con", 0x02}};
  for (const auto& [text, name, function] : u) {
    model::Message m = decode_hex(model::Direction::Request, text);
    EXPECT_EQ(m.type_name(), name);
    EXPECT_EQ(m.get("apci.control.format"), 3);
    EXPECT_EQ(m.get("apci.control.function"), function);
    EXPECT_TRUE(m.issues.empty()) << text;
    EXPECT_EQ(to_hex(model::encode(m)), to_hex(hex(text)));
  }
}

TEST(Iec104, EveryMessageTypeBuildsAndDecodesBack) {
  expect_every_type_builds(*iec104(), {"u_undefined"});
  ASSERT_EQ(iec104()->session.open.size(), 1u);
  model::Message open = model::build(*iec104(), iec104()->session.open[0]);
  EXPECT_EQ(to_hex(model::encode(open)), "68 04 07 00 00 00");
  model::Message probe = model::build(*iec104(), iec104()->session.probe.message);
  EXPECT_EQ(to_hex(model::encode(probe)), "68 04 43 00 00 00");
}

TEST(Iec104, TsharkAcceptsEveryEmittedMessageType) {
  test::TempDir dir;
  auto r = emit_every_type(*iec104(), dir);
  EXPECT_TRUE(r.flagged.empty()) << "tshark flags " << r.flagged.begin()->first;
  ASSERT_EQ(r.decoded.decoded(), iec104()->messages.size());
  for (model::MessageId id = 0; id < iec104()->messages.size(); ++id) {
    EXPECT_EQ(r.decoded.messages[id].message.type, id)
        << iec104()->str(iec104()->messages[id].name);
  }
  // tshark names the same type id for each emitted ASDU
  auto ts = tshark_fields(r.pcap, {"iec60870_asdu.typeid"}, {"-Y", "iec60870_asdu"});
  size_t checked = 0;
  for (const auto& dm : r.decoded.messages) {
    auto type_id = dm.message.get(kAsdu + "type_id");
    if (!type_id) continue;
    ASSERT_TRUE(ts.count(dm.frame)) << dm.message.type_name();
    EXPECT_EQ(tshark_number(ts[dm.frame][0]), type_id) << dm.message.type_name();
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

}  // namespace
}  // namespace pc::protocols
