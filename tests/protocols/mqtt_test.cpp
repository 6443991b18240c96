// The MQTT models on the shared captures: `mqtt` (5.0) on the v5 captures, `mqtt311`
// (3.1.1 and 3.1) on the others. Every packet decodes and re-encodes byte for byte,
// header and property values equal tshark's, the 35 KB PUBLISH decodes from the
// reassembled stream, every message type builds, and tshark accepts what each emits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/model/test_util.hpp"
#include "tests/protocols/model_checks.hpp"

namespace pc::protocols {
namespace {

using model::test::hex;
using model::test::to_hex;
using nlohmann::json;

std::shared_ptr<const model::Model> mqtt5() {
  static auto m = load_model("mqtt.yaml");
  return m;
}

std::shared_ptr<const model::Model> mqtt311() {
  static auto m = load_model("mqtt311.yaml");
  return m;
}

std::string path_of(const std::string& file) {
  return capture_path("mqtt", file);
}

// each capture with the model of its protocol level
const model::Model& model_for(const std::string& file) {
  return file.rfind("mqtt5", 0) == 0 ? *mqtt5() : *mqtt311();
}

const std::vector<std::string> kCaptures = {
    "mqtt311-pub-qos1.pcap",         "mqtt311-pub-qos2.pcap",     "mqtt311-unsub-qos1.pcap",
    "mqtt5-pub-mosquittoprops.pcap", "mqtt5-sub-customauth.pcap", "mqtt5-sub-mosquittoprops.pcap",
    "mqtt5-unsub-qos1.pcap",         "mqtt5_pub_jpeg.pcap",       "zeek-mqtt-v31.pcap"};

std::string text_of(const model::Message& m, const std::string& path) {
  uint32_t v = m.find(path);
  if (v == model::kNone) return "<absent>";
  auto b = m.bytes(v);
  return std::string(b.begin(), b.end());
}

class MqttCapture : public ::testing::TestWithParam<std::string> {};

TEST_P(MqttCapture, EveryPacketDecodesAndReencodes) {
  auto d = dissect_file(model_for(GetParam()), path_of(GetParam()));
  ASSERT_GT(d.decoded(), 0u);
  EXPECT_TRUE(d.unframed.empty());
  expect_lossless(d);
  // mosquitto's test vectors put 144 and 88 in the payload format indicator (0 or 1)
  std::map<std::string, std::map<std::string, std::vector<uint64_t>>> expected = {
      {"mqtt5-pub-mosquittoprops.pcap",
       {{"will_boolean_byte_property.value.range", {4}},
        {"boolean_byte_property.value.range", {8}}}},
      {"mqtt5-sub-mosquittoprops.pcap", {{"will_boolean_byte_property.value.range", {4}}}}};
  EXPECT_EQ(broken_rules(d), expected[GetParam()]);
}

// All values of `key` anywhere in a tshark JSON object, in document order.
void collect(const json& j, const std::string& key, std::vector<std::string>& out) {
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == key) {
      if (it.value().is_string()) out.push_back(it.value().get<std::string>());
      if (it.value().is_array()) {
        for (const auto& x : it.value()) out.push_back(x.get<std::string>());
      }
    } else if (it.value().is_object()) {
      collect(it.value(), key, out);
    }
  }
}

std::optional<std::string> first_of(const json& j, const std::string& key) {
  std::vector<std::string> all;
  collect(j, key, all);
  if (all.empty()) return std::nullopt;
  return all[0];
}

TEST_P(MqttCapture, FieldValuesEqualTsharks) {
  const model::Model& model = model_for(GetParam());
  auto d = dissect_file(model, path_of(GetParam()));
  auto r = test::run({"tshark", "-r", path_of(GetParam()), "-Y", "mqtt", "-T", "json",
                      "--no-duplicate-keys", "-J", "frame mqtt"},
                     300);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<uint64_t, std::vector<json>> ts;
  for (const auto& pkt : json::parse(r.out)) {
    const json& layers = pkt["_source"]["layers"];
    uint64_t frame = std::stoull(layers["frame"]["frame.number"].get<std::string>());
    const json& mq = layers["mqtt"];
    if (mq.is_array()) {
      for (const auto& x : mq) ts[frame].push_back(x);
    } else {
      ts[frame].push_back(mq);
    }
  }
  std::map<uint64_t, std::vector<const model::Message*>> ours;
  for (const auto& m : d.messages) ours[m.last_frame].push_back(&m.message);
  ASSERT_EQ(ours.size(), ts.size());
  size_t compared = 0;
  for (const auto& entry : ours) {
    const uint64_t frame = entry.first;
    ASSERT_EQ(ts[frame].size(), entry.second.size()) << "packets in frame " << frame;
    for (size_t i = 0; i < entry.second.size(); ++i) {
      const model::Message& m = *entry.second[i];
      const json& t = ts[frame][i];
      auto number = [&](const char* key, std::optional<int64_t> ours_value) {
        auto theirs = first_of(t, key);
        if (!theirs) return;
        ASSERT_TRUE(ours_value.has_value()) << "frame " << frame << ": no " << key << "\n"
                                            << model::format_tree(m);
        EXPECT_EQ(*ours_value, std::stoll(*theirs, nullptr, 0)) << "frame " << frame << " " << key;
        ++compared;
      };
      auto text = [&](const char* key, std::initializer_list<const char*> paths) {
        auto theirs = first_of(t, key);
        if (!theirs) return;
        std::string mine = "<absent>";
        for (const char* path : paths) {
          if (mine == "<absent>") mine = text_of(m, path);
        }
        EXPECT_EQ(mine, *theirs) << "frame " << frame << " " << key;
        ++compared;
      };
      // tshark shows a SUBSCRIBE or UNSUBSCRIBE topic filter as the topic
      auto first = [&](std::initializer_list<const char*> paths) -> std::optional<int64_t> {
        for (const char* path : paths) {
          if (auto v = m.get(path)) return v;
        }
        return std::nullopt;
      };
      number("mqtt.hdrflags", m.get("header"));
      number("mqtt.msgtype", m.get("header.type"));
      number("mqtt.len", m.get("remaining_length"));
      number("mqtt.msgid", m.get("packet_identifier"));
      number("mqtt.proto_len", m.get("protocol_name_length"));
      number("mqtt.ver", m.get("protocol_level"));
      number("mqtt.conflags", m.get("connect_flags"));
      number("mqtt.kalive", m.get("keep_alive"));
      number("mqtt.clientid_len", m.get("client_identifier_length"));
      number("mqtt.topic_len", first({"topic_length", "subscriptions[0].topic_filter_length",
                                      "topic_filters[0].length"}));
      number("mqtt.conack.flags", m.get("acknowledge_flags"));
      number("mqtt.conack.val", m.get("return_code"));
      for (const char* k :
           {"mqtt.connack.reason_code", "mqtt.puback.reason_code", "mqtt.pubrec.reason_code",
            "mqtt.pubrel.reason_code", "mqtt.pubcomp.reason_code", "mqtt.disconnect.reason_code",
            "mqtt.auth.reason_code"}) {
        number(k, m.get("reason_code"));
      }
      number("mqtt.property_len", m.get("properties.length"));
      text("mqtt.protoname", {"protocol_name"});
      text("mqtt.clientid", {"client_identifier"});
      text("mqtt.topic", {"topic", "subscriptions[0].topic_filter", "topic_filters[0].filter"});
      text("mqtt.username", {"user_name"});
      // MQTT 3.1 calls the fixed 0b0010 of SUBSCRIBE, UNSUBSCRIBE and PUBREL "QoS 1"
      auto reserved = m.get("header.reserved");
      number("mqtt.qos", m.get("header.qos") ? m.get("header.qos")
                         : reserved          ? std::optional<int64_t>(*reserved >> 1)
                                             : std::nullopt);
      number("mqtt.sub.qos", m.get("subscriptions[0].requested_qos.qos"));
      number("mqtt.suback.qos", m.get("return_codes[0].code"));
      // every property id, the packet's and then the will's, in order
      std::vector<std::string> ids;
      collect(t, "mqtt.property_id", ids);
      std::vector<int64_t> theirs, mine;
      for (const auto& s : ids) theirs.push_back(std::stoll(s, nullptr, 0));
      for (const char* list : {"properties.list", "will.properties.list"}) {
        for (int k = 0;; ++k) {
          auto id = m.get(std::string(list) + "[" + std::to_string(k) + "].id");
          if (!id) break;
          mine.push_back(*id);
        }
      }
      EXPECT_EQ(mine, theirs) << "property ids in frame " << frame;
      compared += theirs.size();
    }
  }
  EXPECT_GT(compared, 3 * d.decoded());
}

TEST_P(MqttCapture, ChangedOctetsStillDecodeAndReencode) {
  expect_mutants_lossless(dissect_file(model_for(GetParam()), path_of(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Shared, MqttCapture, ::testing::ValuesIn(kCaptures), [](const auto& info) {
  std::string n = info.param.substr(0, info.param.find('.'));
  for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n;
});

const dissect::DissectedMessage* in_frame(const dissect::Dissection& d, uint64_t frame) {
  for (const auto& m : d.messages) {
    if (m.frame == frame) return &m;
  }
  return nullptr;
}

// The issue's generality test, part 1: the v5 PUBLISH with properties (frame 8); the
// values are those tshark 4.0 shows for it.
TEST(Mqtt5, PublishWithProperties) {
  auto d = dissect_file(*mqtt5(), path_of("mqtt5-pub-mosquittoprops.pcap"));
  const auto* dm = in_frame(d, 8);
  ASSERT_NE(dm, nullptr);
  const model::Message& m = dm->message;
  EXPECT_EQ(m.type_name(), "publish");
  EXPECT_EQ(m.get("header.qos"), 1);
  EXPECT_EQ(m.get("header.dup"), 0);
  EXPECT_EQ(m.get("header.retain"), 0);
  EXPECT_EQ(m.get("remaining_length"), 94);
  EXPECT_EQ(text_of(m, "topic"), "topicX");
  EXPECT_EQ(m.get("packet_identifier"), 1);
  EXPECT_EQ(m.get("properties.length"), 67);
  const std::string p = "properties.list";
  EXPECT_EQ(m.get(p + "[0].id"), 0x03);
  EXPECT_EQ(text_of(m, p + "[0].value"), "mytype");
  EXPECT_EQ(m.get(p + "[1].id"), 0x09);
  EXPECT_EQ(text_of(m, p + "[1].value"), "12345");
  EXPECT_EQ(m.get(p + "[2].id"), 0x02);
  EXPECT_EQ(m.get(p + "[2].value"), 77);
  EXPECT_EQ(m.get(p + "[3].id"), 0x01);
  EXPECT_EQ(m.get(p + "[3].value"), 88);  // the rule (0 or 1) reports it
  EXPECT_EQ(m.get(p + "[4].id"), 0x08);
  EXPECT_EQ(text_of(m, p + "[4].value"), "response_topic1");
  EXPECT_EQ(m.get(p + "[5].id"), 0x23);
  EXPECT_EQ(m.get(p + "[5].value"), 5);
  EXPECT_EQ(m.get(p + "[6].id"), 0x26);
  EXPECT_EQ(text_of(m, p + "[6].name"), "userprop3");
  EXPECT_EQ(text_of(m, p + "[6].value"), "userval3");
  EXPECT_EQ(m.find(p + "[7]"), model::kNone);
  EXPECT_EQ(text_of(m, "payload"), "baabaablacksheep");
  // an edit keeps the lengths consistent: a longer topic grows both length fields
  model::Message copy = m;
  std::string topic = "a/much/longer/topic";
  ASSERT_TRUE(copy.set_bytes(copy.find("topic"), std::vector<uint8_t>(topic.begin(), topic.end())));
  auto out = model::encode(copy);
  model::Message back = model::decode(*mqtt5(), model::Direction::Request, out);
  EXPECT_EQ(back.get("topic_length"), static_cast<int64_t>(topic.size()));
  EXPECT_EQ(back.get("remaining_length"), 94 + static_cast<int64_t>(topic.size()) - 6);
  EXPECT_EQ(text_of(back, "topic"), topic);
}

// Part 2: the 35 KB PUBLISH of mqtt5_pub_jpeg.pcap (IPv6), split over two TCP segments,
// decodes from the reassembled stream.
TEST(Mqtt5, PublishOverTwoSegments) {
  auto d = dissect_file(*mqtt5(), path_of("mqtt5_pub_jpeg.pcap"));
  const auto* dm = in_frame(d, 8);
  ASSERT_NE(dm, nullptr);
  EXPECT_EQ(dm->frame, 8u);
  EXPECT_EQ(dm->last_frame, 9u);
  EXPECT_EQ(dm->bytes.size(), 35771u);
  const model::Message& m = dm->message;
  EXPECT_EQ(m.type_name(), "publish");
  EXPECT_TRUE(m.issues.empty()) << model::format_summary(m);
  EXPECT_EQ(m.get("remaining_length"), 35767);
  EXPECT_EQ(m.get("header.qos"), 0);
  EXPECT_EQ(m.find("packet_identifier"), model::kNone);
  EXPECT_EQ(text_of(m, "topic"), "topicX");
  EXPECT_EQ(m.get("properties.length"), 0);
  auto payload = m.bytes(m.find("payload"));
  ASSERT_EQ(payload.size(), 35758u);
  EXPECT_EQ(to_hex(payload.first(2)), "ff d8");  // JPEG start of image
  EXPECT_EQ(to_hex(payload.last(2)), "ff d9");   // end of image
  model::Message copy = m;
  auto out = model::encode(copy);
  EXPECT_EQ(out, dm->bytes);
  EXPECT_EQ(to_hex(std::span(out).first(4)), "30 b7 97 02");  // a three-octet Remaining Length
}

TEST(Mqtt5, ConnectWithWillAndCredentials) {
  auto d = dissect_file(*mqtt5(), path_of("mqtt5-pub-mosquittoprops.pcap"));
  const model::Message& m = in_frame(d, 4)->message;
  EXPECT_EQ(m.type_name(), "connect");
  EXPECT_EQ(m.get("protocol_level"), 5);
  EXPECT_EQ(m.get("connect_flags"), 0xC6);
  EXPECT_EQ(m.get("properties.length"), 60);
  EXPECT_EQ(text_of(m, "client_identifier"), "myvoiceismypassport");
  EXPECT_EQ(m.get("will.properties.length"), 75);
  EXPECT_EQ(m.get("will.properties.list[6].id"), 24);  // will delay interval
  EXPECT_EQ(m.get("will.properties.list[6].value"), 200);
  EXPECT_EQ(text_of(m, "will.topic"), "willtopic");
  EXPECT_EQ(text_of(m, "user_name"), "user");
  uint32_t pw = m.find("password");
  ASSERT_NE(pw, model::kNone);
  EXPECT_TRUE(m.field(pw)->secret);
}

TEST(Mqtt, EachModelRejectsTheOtherVersionsConnect) {
  auto v5 = dissect_file(*mqtt311(), path_of("mqtt5-unsub-qos1.pcap"));
  EXPECT_TRUE(has_issue(in_frame(v5, 4)->message, "connect.protocol_level.one_of"));
  auto v311 = dissect_file(*mqtt5(), path_of("mqtt311-pub-qos1.pcap"));
  EXPECT_TRUE(has_issue(in_frame(v311, 4)->message, "connect.protocol_level.one_of"));
  auto v31 = dissect_file(*mqtt311(), path_of("zeek-mqtt-v31.pcap"));
  const model::Message& c = in_frame(v31, 1)->message;
  EXPECT_EQ(c.get("protocol_level"), 3);
  EXPECT_EQ(text_of(c, "protocol_name"), "MQIsdp");
  EXPECT_EQ(text_of(c, "client_identifier"), "paho/34AAE54A75D839566E");
  EXPECT_TRUE(c.issues.empty()) << model::format_tree(c);
}

TEST(Mqtt, ReservedFlagsAndQos3AreReported) {
  // PUBLISH with QoS 3, and a SUBSCRIBE with flags 0 instead of 0b0010
  model::Message p =
      model::decode(*mqtt311(), model::Direction::Request, hex("36 05 00 01 61 00 07"));
  EXPECT_TRUE(has_issue(p, "publish.header.qos.range")) << model::format_tree(p);
  model::Message s =
      model::decode(*mqtt311(), model::Direction::Request, hex("80 06 00 01 00 01 61 00"));
  EXPECT_TRUE(has_issue(s, "subscribe.header.reserved.const")) << model::format_tree(s);
  model::Message v5 =
      model::decode(*mqtt5(), model::Direction::Request, hex("36 06 00 01 61 00 07 00"));
  EXPECT_TRUE(has_issue(v5, "publish.header.qos.range")) << model::format_tree(v5);
  // a property a PUBLISH may not hold (session expiry interval, 0x11)
  model::Message bad =
      model::decode(*mqtt5(), model::Direction::Request, hex("30 09 00 01 61 05 11 00 00 00 01"));
  EXPECT_TRUE(has_issue(bad, "four_byte_property.id.expr")) << model::format_tree(bad);
}

TEST(Mqtt, EveryMessageTypeBuildsAndDecodesBack) {
  expect_every_type_builds(*mqtt5(), {"unexpected_client_packet", "unexpected_server_packet"});
  expect_every_type_builds(*mqtt311(), {"unexpected_client_packet", "unexpected_server_packet"});
}

void expect_emit_accepted(const model::Model& m) {
  // tshark learns the protocol level from the CONNECT: it must be the first packet
  ASSERT_EQ(m.str(m.messages[0].name), "connect");
  test::TempDir dir;
  auto r = emit_every_type(m, dir);
  EXPECT_TRUE(r.flagged.empty()) << m.name << ": tshark flags " << r.flagged.begin()->first;
  ASSERT_EQ(r.decoded.decoded(), m.messages.size());
  auto ts = tshark_fields(r.pcap, {"mqtt.msgtype"}, {"-Y", "mqtt"});
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    const auto& dm = r.decoded.messages[id];
    EXPECT_EQ(dm.message.type, id) << m.str(m.messages[id].name);
    ASSERT_TRUE(ts.count(dm.frame)) << m.str(m.messages[id].name);
    EXPECT_EQ(tshark_number(ts[dm.frame][0]), dm.message.get("header.type"))
        << m.str(m.messages[id].name);
  }
}

TEST(Mqtt, TsharkAcceptsEveryEmittedMessageType) {
  expect_emit_accepted(*mqtt5());
  expect_emit_accepted(*mqtt311());
}

}  // namespace
}  // namespace pc::protocols
