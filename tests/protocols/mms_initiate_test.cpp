// Generality of the MMS model (the issue's required test): the MMS initiate request of
// piccolo.pcap and of the 8d7c... capture decode with their values checked at every layer
// (TPKT, COTP, session, presentation, ACSE, MMS) against tshark and against values read
// from the bytes by hand, and re-encode byte for byte; and a session length in the 0xFF +
// u16 form (none in the captures) encodes, decodes back and dissects in tshark.
#include <gtest/gtest.h>

#include "core/capture/pcap_reader.hpp"
#include "core/capture/pcap_writer.hpp"
#include "core/capture/tcp_conversation.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "core/model/printer.hpp"
#include "tests/protocols/model_checks.hpp"
#include "tests/protocols/mms_tshark.hpp"

namespace pc {
namespace {

using namespace mms_test;

std::shared_ptr<const model::Model> mms() { return protocols::cached_model("mms.yaml"); }

std::string capture_path(const std::string& name) { return protocols::capture_path("mms", name); }

// The message whose first byte is in `frame`.
dissect::DissectedMessage message_at(const std::string& capture, uint64_t frame) {
  auto cap = capture::read_capture(capture_path(capture));
  EXPECT_TRUE(cap.ok());
  auto d = dissect::dissect(*mms(), cap.value(), {});
  for (auto& m : d.messages) {
    if (m.frame == frame) return std::move(m);
  }
  ADD_FAILURE() << "no message starts in frame " << frame;
  return {model::Direction::Request, 0, 0, 0, 0, {}, {}, model::Message(*mms())};
}

// Session parameter codes and lengths (PGI and PI units), in order.
std::pair<std::vector<std::string>, std::vector<std::string>> session_parameters(
    const model::Message& m) {
  std::vector<std::string> codes, lengths;
  for (uint32_t v = 0; v < m.values.size(); ++v) {
    const std::string path = m.path(v);
    if (path.rfind("tpdu.tsdu.", 0) != 0) continue;
    const auto& t = m.model().type_of(m.values[v].field);
    if (name_of(m, v) == "code" && t.kind == model::Kind::Uint)
      codes.push_back(std::to_string(num(m, v)));
    if (name_of(m, v) == "length" && t.kind == model::Kind::Varint &&
        t.varint == model::VarintStyle::Escaped) {
      lengths.push_back(std::to_string(num(m, v)));
    }
  }
  return {codes, lengths};
}

std::vector<std::string> oids_named(const model::Message& m, std::string_view name) {
  std::vector<std::string> out;
  for (uint32_t v : all_named(m, name)) out.push_back(oid_text(m.bytes(contents(m, v))));
  return out;
}

std::vector<std::string> nums_named(const model::Message& m, std::string_view name) {
  std::vector<std::string> out;
  for (uint32_t v : all_named(m, name)) out.push_back(std::to_string(num(m, contents(m, v))));
  return out;
}

// The OIDs of the items of every array named `name`.
std::vector<std::string> item_oids(const model::Message& m, std::string_view name) {
  std::vector<std::string> out;
  for (uint32_t v : all_named(m, name)) {
    for (uint32_t item : m.children(v)) out.push_back(oid_text(m.bytes(contents(m, item))));
  }
  return out;
}

std::string hex_named(const model::Message& m, std::string_view name) {
  uint32_t v = first_named(m, name);
  return v == model::kNone ? "" : hex_plain(m.bytes(contents(m, v)));
}

// A BIT STRING's bits after the unused-bits count, as tshark prints them.
std::string bit_string_hex(const dissect::DissectedMessage& dm, std::string_view name) {
  const auto& m = dm.message;
  uint32_t v = first_named(m, name);
  if (v == model::kNone) return "";
  uint32_t bits = m.values[v].offset + m.values[v].size;
  uint32_t start = m.values[m.child_named(v, m.model().names.find("unused_bits"))].offset + 1;
  return hex_plain(std::span<const uint8_t>(dm.bytes).subspan(start, bits - start));
}

std::string camel(const std::string& snake) {
  std::string out;
  bool up = false;
  for (char c : snake) {
    if (c == '_') {
      up = true;
    } else {
      out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      up = false;
    }
  }
  return out;
}

// Every layer of an initiate request against tshark's fields for its frame.
void check_against_tshark(const std::string& capture, const dissect::DissectedMessage& dm) {
  const auto& m = dm.message;
  // the 85 service bits of the 1990 edition, by their names in tshark
  std::vector<std::pair<std::string, int64_t>> service_bits;
  for (const char* container : {"bits_0_63", "bits_64_87"}) {
    uint32_t c = first_named(m, container);
    ASSERT_NE(c, model::kNone) << container;
    for (uint32_t b : m.children(c)) {
      if (service_bits.size() < 85) service_bits.emplace_back(name_of(m, b), num(m, b));
    }
  }
  std::vector<std::string> fields = {"tpkt.length",
                                     "cotp.type",
                                     "cotp.eot",
                                     "ses.type",
                                     "ses.length",
                                     "ses.parameter_type",
                                     "ses.parameter_length",
                                     "pres.mode_value",
                                     "pres.calling_presentation_selector",
                                     "pres.called_presentation_selector",
                                     "pres.presentation_context_identifier",
                                     "pres.abstract_syntax_name",
                                     "pres.Transfer_syntax_name",
                                     "acse.aSO_context_name",
                                     "acse.ap_title_form2",
                                     "acse.aso_qualifier_form2",
                                     "acse.indirect_reference",
                                     "mms.localDetailCalling",
                                     "mms.proposedMaxServOutstandingCalling",
                                     "mms.proposedMaxServOutstandingCalled",
                                     "mms.proposedDataStructureNestingLevel",
                                     "mms.proposedVersionNumber",
                                     "mms.proposedParameterCBB",
                                     "mms.servicesSupportedCalling"};
  const size_t first_bit = fields.size();
  for (const auto& [name, value] : service_bits) {
    std::string t = name == "report_event_action_status" ? "reportActionStatus" : camel(name);
    fields.push_back("mms.ServiceSupportOptions." + t);
  }
  auto ts = tshark_fields(capture_path(capture), fields,
                          "frame.number == " + std::to_string(dm.last_frame));
  ASSERT_EQ(ts.size(), 1u);
  const auto& t = ts.begin()->second;
  auto expect = [&](size_t i, const std::vector<std::string>& ours) {
    EXPECT_EQ(ours, t[i]) << fields[i] << "\n" << model::format_tree(m);
  };
  auto s = [](std::optional<int64_t> x) { return x ? std::to_string(*x) : std::string("<none>"); };
  expect(0, {s(m.get("length"))});
  expect(1, {"0x0f"});
  EXPECT_EQ(m.get("tpdu.code.tpdu_code"), 0x0F);
  expect(2, {s(m.get("tpdu.sequence.eot"))});
  expect(3, {s(m.get("tpdu.tsdu.si"))});
  expect(4, {s(m.get("tpdu.tsdu.li"))});
  auto [codes, lengths] = session_parameters(m);
  expect(5, codes);
  expect(6, lengths);
  expect(7, nums_named(m, "mode_value"));
  expect(8, {hex_named(m, "calling_presentation_selector")});
  expect(9, {hex_named(m, "called_presentation_selector")});
  expect(10, nums_named(m, "presentation_context_identifier"));
  expect(11, oids_named(m, "abstract_syntax_name"));
  expect(12, item_oids(m, "names"));
  expect(13, {oid_text(m.bytes(contents(m, first_named(m, "name"))))});
  expect(14, oids_named(m, "title"));
  expect(15, nums_named(m, "qualifier"));
  expect(16, nums_named(m, "indirect_reference"));
  expect(17, nums_named(m, "local_detail_calling"));
  expect(18, nums_named(m, "proposed_max_serv_outstanding_calling"));
  expect(19, nums_named(m, "proposed_max_serv_outstanding_called"));
  expect(20, nums_named(m, "proposed_data_structure_nesting_level"));
  expect(21, nums_named(m, "proposed_version_number"));
  expect(22, {bit_string_hex(dm, "proposed_parameter_cbb")});
  expect(23, {bit_string_hex(dm, "services_supported_calling")});
  for (size_t i = 0; i < service_bits.size(); ++i) {
    ASSERT_EQ(t[first_bit + i].size(), 1u) << fields[first_bit + i];
    const std::string& v = t[first_bit + i][0];
    EXPECT_EQ(service_bits[i].second, v == "1" || v == "True" ? 1 : 0) << service_bits[i].first;
  }
}

TEST(MmsInitiate, PiccoloRequestAtEveryLayer) {
  auto dm = message_at("piccolo.pcap", 1);
  const auto& m = dm.message;
  ASSERT_EQ(m.type_name(), "initiate_request") << model::format_tree(m);
  EXPECT_EQ(dm.last_frame, 1u);
  EXPECT_TRUE(m.issues.empty()) << model::format_tree(m);
  // read by hand: TPKT 191 bytes; COTP DT EOT; CN SPDU of 182 bytes
  EXPECT_EQ(m.get("version"), 3);
  EXPECT_EQ(m.get("length"), 191);
  EXPECT_EQ(dm.bytes.size(), 191u);
  EXPECT_EQ(m.get("tpdu.li"), 2);
  EXPECT_EQ(m.get("tpdu.sequence.eot"), 1);
  EXPECT_EQ(m.get("tpdu.sequence.tpdu_nr"), 0);
  EXPECT_EQ(m.get("tpdu.tsdu.si"), 13);
  EXPECT_EQ(m.get("tpdu.tsdu.li"), 182);
  EXPECT_EQ(m.get("tpdu.tsdu.connect_accept_item.length"), 6);
  EXPECT_EQ(m.get("tpdu.tsdu.connect_accept_item.version_number.value.version_2"), 1);
  EXPECT_EQ(m.get("tpdu.tsdu.session_user_requirements.value.duplex"), 1);
  EXPECT_EQ(m.get("tpdu.tsdu.user_data.length"), 160);
  // presentation: CP-type, long-form lengths 81 9d / 81 95, contexts 1 (ACSE) and 3 (MMS)
  const std::string cp = "tpdu.tsdu.user_data.ppdu.";
  EXPECT_EQ(m.get(cp + "length"), 157);
  EXPECT_EQ(m.values[m.find(cp + "length")].form, 2) << "long form kept";
  EXPECT_EQ(m.get(cp + "normal_mode_parameters.length"), 149);
  EXPECT_EQ(oids_named(m, "abstract_syntax_name"),
            (std::vector<std::string>{"2.2.1.0.1", "1.0.9506.2.1"}));
  const std::string pdv = cp + "normal_mode_parameters.user_data.pdv_lists[0].";
  EXPECT_EQ(m.get(pdv + "presentation_context_identifier.value"), 1);
  // ACSE AARQ: application context 1.0.9506.2.3, AP titles 1.1.1.999.1 / 1.1.1.999, AE qualifiers
  // 12
  const std::string aarq = pdv + "presentation_data_values.apdu.";
  EXPECT_EQ(m.get(aarq + "tag"), 0x60);
  EXPECT_EQ(oid_text(m.bytes(m.find(aarq + "application_context_name.name.value"))),
            "1.0.9506.2.3");
  EXPECT_EQ(oid_text(m.bytes(m.find(aarq + "called_ap_title.title.value"))), "1.1.1.999.1");
  EXPECT_EQ(m.get(aarq + "calling_ae_qualifier.qualifier.value"), 12);
  const std::string ext = aarq + "user_information.externals[0].";
  EXPECT_EQ(oid_text(m.bytes(m.find(ext + "direct_reference.value"))), "2.1.1");
  EXPECT_EQ(m.get(ext + "indirect_reference.value"), 3);
  // MMS initiate-RequestPDU
  const std::string pdu = ext + "encoding.mms_pdu.";
  EXPECT_EQ(m.get(pdu + "tag"), 0xA8);
  EXPECT_EQ(m.get(pdu + "local_detail_calling.value"), 65280);
  EXPECT_EQ(m.get(pdu + "proposed_max_serv_outstanding_calling.value"), 10);
  EXPECT_EQ(m.get(pdu + "proposed_max_serv_outstanding_called.value"), 10);
  EXPECT_EQ(m.get(pdu + "proposed_data_structure_nesting_level.value"), 5);
  const std::string detail = pdu + "init_request_detail.";
  EXPECT_EQ(m.get(detail + "proposed_version_number.value"), 1);
  EXPECT_EQ(m.get(detail + "proposed_parameter_cbb.unused_bits"), 5);
  EXPECT_EQ(m.get(detail + "proposed_parameter_cbb.bits.parameters.vlis"), 1);
  EXPECT_EQ(m.get(detail + "proposed_parameter_cbb.bits.parameters.vadr"), 0);
  const std::string svc = detail + "services_supported_calling.services.";
  EXPECT_EQ(m.get(detail + "services_supported_calling.unused_bits"), 3);
  for (const char* on :
       {"bits_0_63.status", "bits_0_63.get_name_list", "bits_0_63.identify", "bits_0_63.read",
        "bits_0_63.write", "bits_0_63.get_variable_access_attributes",
        "bits_0_63.get_named_variable_list_attributes", "bits_0_63.get_domain_attributes",
        "bits_64_87.get_capability_list", "bits_64_87.information_report", "bits_64_87.conclude",
        "bits_64_87.cancel"}) {
    EXPECT_EQ(m.get(svc + on), 1) << on;
  }
  for (const char* off :
       {"bits_0_63.rename", "bits_0_63.define_named_type", "bits_64_87.file_open"}) {
    EXPECT_EQ(m.get(svc + off), 0) << off;
  }
  check_against_tshark("piccolo.pcap", dm);
  model::Message copy = dm.message;
  EXPECT_EQ(model::encode(copy), dm.bytes);
}

// The 8d7c... initiate request: its TPKT header is alone in frame 10, the rest in frame 11.
TEST(MmsInitiate, SplitTpktRequestOf8d7cAtEveryLayer) {
  const std::string capture = "8d7c7db0-9804-012b-b2a6-0016cb8cea27.pcap";
  auto dm = message_at(capture, 10);
  const auto& m = dm.message;
  ASSERT_EQ(m.type_name(), "initiate_request") << model::format_tree(m);
  EXPECT_EQ(dm.frame, 10u);
  EXPECT_EQ(dm.last_frame, 11u);
  EXPECT_TRUE(m.issues.empty()) << model::format_tree(m);
  EXPECT_EQ(m.get("length"), 197);
  EXPECT_EQ(m.get("tpdu.tsdu.li"), 188);
  EXPECT_EQ(hex_named(m, "called_session_selector"), "0002");
  // optional elements this peer sends and piccolo does not
  // presentation protocol-version, then ACSE's: BIT STRING 07 80 (version 1)
  ASSERT_EQ(all_named(m, "protocol_version").size(), 2u);
  for (uint32_t v : all_named(m, "protocol_version")) {
    EXPECT_EQ(m.get(m.path(v) + ".unused_bits"), 7);
    EXPECT_EQ(hex_plain(m.bytes(m.find(m.path(v) + ".bits"))), "80");
  }
  EXPECT_NE(first_named(m, "presentation_requirements"), model::kNone);
  EXPECT_EQ(oid_text(m.bytes(contents(m, first_named(m, "name")))), "1.0.9506.1.1");
  EXPECT_EQ(nums_named(m, "local_detail_calling"), std::vector<std::string>{"32000"});
  EXPECT_EQ(nums_named(m, "proposed_max_serv_outstanding_calling"), std::vector<std::string>{"20"});
  EXPECT_EQ(bit_string_hex(dm, "services_supported_calling"), "6e1d000000000064000198");
  check_against_tshark(capture, dm);
  model::Message copy = dm.message;
  EXPECT_EQ(model::encode(copy), dm.bytes);

  // the answer (frames 13 + 14): an EXTERNAL with no direct-reference
  auto rsp = message_at(capture, 13);
  ASSERT_EQ(rsp.message.type_name(), "initiate_response");
  EXPECT_EQ(rsp.last_frame, 14u);
  EXPECT_EQ(first_named(rsp.message, "direct_reference"), model::kNone);
  EXPECT_EQ(nums_named(rsp.message, "indirect_reference"), std::vector<std::string>{"3"});
  EXPECT_EQ(nums_named(rsp.message, "negotiated_max_serv_outstanding_calling"),
            std::vector<std::string>{"20"});
  model::Message rcopy = rsp.message;
  EXPECT_EQ(model::encode(rcopy), rsp.bytes);
}

// Writes messages as one TCP conversation to port 102 and returns tshark's view of it.
FrameFields tshark_on(const ScratchDir& dir, const std::vector<std::vector<uint8_t>>& requests,
                      const std::vector<std::string>& fields, const std::string& filter) {
  std::string path = dir.file("escaped.pcap");
  {
    auto w = capture::PcapWriter::create(path);
    EXPECT_TRUE(w.ok());
    auto conv = capture::TcpConversation::open(w.value(), {"127.0.0.1", 40000}, {"127.0.0.1", 102});
    EXPECT_TRUE(conv.ok());
    for (const auto& r : requests) conv.value().send(capture::Side::client, r);
    conv.value().close();
    EXPECT_TRUE(w.value().close().ok());
  }
  return tshark_fields(path, fields, filter, kContexts);
}

// ISO 8327-1 8.2.3: a length above 254 is 0xFF and two bytes. Lengthening the called
// presentation selector of the piccolo request by 96 bytes pushes the CN SPDU (182) and
// its user data parameter (160) past 254.
TEST(MmsEscapedLength, SessionLengthsAbove254TakeTheThreeByteForm) {
  auto dm = message_at("piccolo.pcap", 1);
  model::Message m = dm.message;
  uint32_t selector =
      m.find("tpdu.tsdu.user_data.ppdu.normal_mode_parameters.called_presentation_selector.value");
  ASSERT_NE(selector, model::kNone);
  std::vector<uint8_t> longer(100);
  for (size_t i = 0; i < longer.size(); ++i) longer[i] = static_cast<uint8_t>(i);
  ASSERT_TRUE(m.set_bytes(selector, longer));
  auto bytes = model::encode(m);
  ASSERT_EQ(bytes.size(), 191u + 96 + 2 + 2);
  EXPECT_EQ(bytes[2] * 256 + bytes[3], static_cast<int>(bytes.size())) << "TPKT length";
  EXPECT_EQ(bytes[7], 13);  // CN
  EXPECT_EQ(bytes[8], 0xFF);
  EXPECT_EQ(bytes[9] * 256 + bytes[10], 182 + 96 + 2);
  // PGI 193 after the 20 bytes of the other parameters
  EXPECT_EQ(bytes[11 + 20], 193);
  EXPECT_EQ(bytes[12 + 20], 0xFF);
  EXPECT_EQ(bytes[13 + 20] * 256 + bytes[14 + 20], 160 + 96);

  model::Message back = model::decode(*mms(), model::Direction::Request, bytes);
  ASSERT_EQ(back.type_name(), "initiate_request") << model::format_tree(back);
  EXPECT_TRUE(back.issues.empty()) << model::format_tree(back);
  EXPECT_EQ(back.get("tpdu.tsdu.li"), 280);
  EXPECT_EQ(back.values[back.find("tpdu.tsdu.li")].form, 3);
  EXPECT_EQ(back.get("tpdu.tsdu.user_data.length"), 256);
  EXPECT_EQ(
      back
          .bytes(back.find(
              "tpdu.tsdu.user_data.ppdu.normal_mode_parameters.called_presentation_selector.value"))
          .size(),
      100u);
  EXPECT_EQ(nums_named(back, "proposed_max_serv_outstanding_calling"),
            std::vector<std::string>{"10"});
  EXPECT_EQ(model::encode(back), bytes);

  // the long form of a small length is kept as read: the original LI 0xB6 written ff 00 b6
  std::vector<uint8_t> wide = dm.bytes;
  wide.insert(wide.begin() + 9, {0x00, 0xB6});
  wide[8] = 0xFF;
  wide[3] = static_cast<uint8_t>(wide[3] + 2);
  model::Message w = model::decode(*mms(), model::Direction::Request, wide);
  EXPECT_TRUE(w.issues.empty()) << model::format_tree(w);
  EXPECT_EQ(w.get("tpdu.tsdu.li"), 182);
  EXPECT_EQ(model::encode(w), wide);

  // tshark reads both without a malformed mark or an expert error
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  auto bad = tshark_on(dir, {bytes, wide}, {"_ws.col.Info"},
                       "_ws.malformed || _ws.expert.severity >= error");
  for (const auto& [frame, v] : bad) ADD_FAILURE() << "tshark: frame " << frame << " " << v[0][0];
  auto ts = tshark_on(dir, {bytes, wide},
                      {"ses.length", "ses.parameter_length", "pres.called_presentation_selector",
                       "mms.proposedMaxServOutstandingCalling"},
                      "mms");
  ASSERT_EQ(ts.size(), 2u);
  const auto& first = ts.begin()->second;
  EXPECT_EQ(first[0], std::vector<std::string>{"280"});
  EXPECT_EQ(first[1].back(), "256");
  EXPECT_EQ(first[2], std::vector<std::string>{hex_plain(longer)});
  EXPECT_EQ(first[3], std::vector<std::string>{"10"});
  EXPECT_EQ(std::next(ts.begin())->second[0], std::vector<std::string>{"182"});
}

}  // namespace
}  // namespace pc
