// Every Modbus/TCP message of the shared captures: decoded, resolved to a named message
// type, re-encoded byte for byte, its values equal to what tshark reports, and the file
// as a whole equal to its committed golden expectations.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "core/model/printer.hpp"
#include "tests/support/run.hpp"

namespace pc {
namespace {

using nlohmann::json;

const std::vector<std::string> kCaptures = {"ModbusTCP.pcap", "modbus_test_data_part1.pcap",
                                            "modbus_test_data_part2.pcap", "modbus-eit.pcap",
                                            "4SICS-GeekLounge-151022-min.pcap"};

std::shared_ptr<const model::Model> modbus() {
  static std::shared_ptr<const model::Model> m = [] {
    auto r = model::load_model_file(std::string(PC_MODELS_DIR) + "/modbus-tcp.yaml");
    return std::get<std::shared_ptr<const model::Model>>(r);
  }();
  return m;
}

std::string capture_path(const std::string& name) { return std::string(PC_SHARED_DIR) + "/captures/modbus/" + name; }

dissect::Dissection dissect_file(const std::string& name) {
  auto cap = capture::read_capture(capture_path(name));
  EXPECT_TRUE(cap.ok()) << name;
  return dissect::dissect(*modbus(), cap.value(), {});
}

// What the golden file records about a capture.
json summarize(const dissect::Dissection& d) {
  json types = json::object(), broken = json::object(), unframed = json::array();
  size_t requests = 0;
  for (const auto& m : d.messages) {
    requests += m.direction == model::Direction::Request;
    types[m.message.type_name()] = types.value(m.message.type_name(), 0) + 1;
    for (const auto& i : m.message.issues) {
      const std::string& id = modbus()->rules[i.rule].id;
      if (!broken.contains(id)) broken[id] = json::array();
      broken[id].push_back(m.frame);
    }
  }
  for (const auto& u : d.unframed) {
    unframed.push_back({{"frame", u.frame}, {"direction", model::to_string(u.direction)}, {"size", u.size},
                        {"reason", u.reason}});
  }
  return {{"decoded", d.decoded()}, {"requests", requests},          {"responses", d.decoded() - requests},
          {"invalid", d.invalid()}, {"unresolved", d.unresolved()}, {"types", types},
          {"broken", broken},       {"unframed", unframed}};
}

class ModbusCapture : public ::testing::TestWithParam<std::string> {};

TEST_P(ModbusCapture, EveryMessageResolvesAndReencodesByteForByte) {
  auto d = dissect_file(GetParam());
  ASSERT_GT(d.decoded(), 0u);
  for (auto& m : d.messages) {
    ASSERT_TRUE(m.message.resolved()) << "frame " << m.frame << "\n" << model::format_tree(m.message);
    model::Message copy = m.message;
    ASSERT_EQ(model::encode(copy), m.bytes) << "frame " << m.frame << "\n" << model::format_tree(m.message);
    // raw bytes only in fields the model declares opaque, or kept as excess of broken traffic
    for (uint32_t v = 0; v < m.message.values.size(); ++v) {
      const auto* f = m.message.field(v);
      if (f && (m.message.values[v].flags & model::kRaw)) ADD_FAILURE() << "raw value in frame " << m.frame;
    }
  }
}

TEST_P(ModbusCapture, MatchesItsGoldenExpectations) {
  json got = summarize(dissect_file(GetParam()));
  std::string golden = std::string(PC_SOURCE_DIR) + "/tests/golden/modbus/" + GetParam() + ".json";
  if (std::getenv("PC_UPDATE_GOLDEN")) {
    std::ofstream(golden) << got.dump(1) << "\n";
  }
  std::ifstream in(golden);
  ASSERT_TRUE(in) << "missing golden file " << golden << " (run with PC_UPDATE_GOLDEN=1, then review it)";
  json want = json::parse(in);
  EXPECT_EQ(got, want) << "got:\n" << got.dump(1);
}

// tshark's view, one object per ADU, grouped by the frame in which the ADU completes.
std::map<uint64_t, std::vector<std::pair<json, json>>> tshark_adus(const std::string& name) {
  auto r = test::run({"tshark", "-r", capture_path(name), "-Y", "mbtcp", "-T", "json", "--no-duplicate-keys", "-j",
                      "frame mbtcp modbus"},
                     300);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<uint64_t, std::vector<std::pair<json, json>>> out;
  json doc = json::parse(r.out);
  for (const auto& pkt : doc) {
    const json& layers = pkt["_source"]["layers"];
    uint64_t frame = std::stoull(layers["frame"]["frame.number"].get<std::string>());
    auto as_list = [](const json& j) { return j.is_array() ? j : json::array({j}); };
    json mb = as_list(layers["mbtcp"]);
    json pdus = layers.contains("modbus") ? as_list(layers["modbus"]) : json::array();
    for (size_t i = 0; i < mb.size(); ++i) out[frame].emplace_back(mb[i], i < pdus.size() ? pdus[i] : json::object());
  }
  return out;
}

// A field anywhere inside a tshark layer object (subtrees are nested objects).
std::optional<int64_t> tshark_field(const json& j, const std::string& key) {
  if (!j.is_object()) return std::nullopt;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == key && it.value().is_string()) return std::stoll(it.value().get<std::string>(), nullptr, 0);
    if (it.value().is_object()) {
      if (auto v = tshark_field(it.value(), key)) return v;
    }
  }
  return std::nullopt;
}

TEST_P(ModbusCapture, FieldValuesEqualTsharks) {
  auto d = dissect_file(GetParam());
  auto ts = tshark_adus(GetParam());
  std::map<uint64_t, std::vector<const dissect::DissectedMessage*>> ours;
  for (const auto& m : d.messages) ours[m.last_frame].push_back(&m);
  // frames where tshark decodes no Modbus but we do: protocol id 0x0010 (broken on
  // purpose), and a segment that repeats an ADU tshark took as a continuation
  std::map<std::string, std::vector<uint64_t>> tshark_skips = {{"modbus_test_data_part1.pcap", {80, 82, 113}}};
  std::vector<uint64_t> skipped;
  size_t compared = 0;
  for (const auto& entry : ours) {
    const uint64_t frame = entry.first;
    const auto& msgs = entry.second;
    auto it = ts.find(frame);
    if (it == ts.end()) {
      skipped.push_back(frame);
      continue;
    }
    ASSERT_EQ(it->second.size(), msgs.size()) << "ADUs in frame " << frame;
    for (size_t i = 0; i < msgs.size(); ++i) {
      const model::Message& m = msgs[i]->message;
      const json& mb = it->second[i].first;
      const json& pdu = it->second[i].second;
      auto check = [&](const char* key, const json& layer, std::optional<int64_t> value) {
        auto t = tshark_field(layer, key);
        if (!t) return;
        ASSERT_TRUE(value.has_value()) << "frame " << frame << ": tshark has " << key << " = " << *t
                                       << ", we have no such field\n" << model::format_tree(m);
        EXPECT_EQ(*value, *t) << "frame " << frame << " " << key << "\n" << model::format_tree(m);
        ++compared;
      };
      auto first = [&](std::initializer_list<const char*> paths) -> std::optional<int64_t> {
        for (const char* p : paths) {
          if (auto v = m.get(p)) return v;
        }
        return std::nullopt;
      };
      check("mbtcp.trans_id", mb, m.get("transaction_id"));
      check("mbtcp.len", mb, m.get("length"));
      auto fc = m.get("pdu.function_code");
      check("modbus.func_code", pdu, fc ? std::optional<int64_t>(*fc & 0x7F) : std::nullopt);
      check("modbus.reference_num", pdu, first({"pdu.address", "pdu.read_address", "pdu.fifo_address"}));
      check("modbus.word_cnt", pdu, first({"pdu.quantity", "pdu.read_quantity"}));
      check("modbus.bit_cnt", pdu, first({"pdu.quantity"}));
      check("modbus.byte_cnt", pdu, first({"pdu.byte_count", "pdu.write_byte_count", "pdu.data_length"}));
      check("modbus.exception_code", pdu, m.get("pdu.exception_code"));
    }
  }
  EXPECT_EQ(skipped, tshark_skips[GetParam()]);
  // and nothing tshark decodes is missing here
  for (const auto& [frame, adus] : ts) EXPECT_TRUE(ours.count(frame)) << "tshark decodes frame " << frame;
  EXPECT_GT(compared, d.decoded());
}

INSTANTIATE_TEST_SUITE_P(Shared, ModbusCapture, ::testing::ValuesIn(kCaptures),
                         [](const auto& info) {
                           std::string n = info.param.substr(0, info.param.find('.'));
                           for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

}  // namespace
}  // namespace pc
