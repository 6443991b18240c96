// Generality of the DLMS model (the issue's required test): WPDUs of the shared captures
// decode with their values checked at every level and re-encode byte for byte. tshark
// 4.0 has no DLMS dissector, so every expected value here was read by hand from the
// bytes of the frame named in each test.
#include <gtest/gtest.h>

#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "core/model/printer.hpp"
#include "tests/protocols/model_checks.hpp"

namespace pc {
namespace {

std::shared_ptr<const model::Model> dlms() { return protocols::cached_model("dlms.yaml"); }

// The WPDU that starts in `frame`, checked to re-encode byte for byte.
dissect::DissectedMessage at(const std::string& file, uint16_t port, uint64_t frame) {
  auto cap = capture::read_capture(std::string(PC_SHARED_DIR) + "/captures/dlms/" + file);
  EXPECT_TRUE(cap.ok());
  auto d = dissect::dissect(*dlms(), cap.value(), {.server_port = port});
  for (auto& m : d.messages) {
    if (m.frame != frame) continue;
    model::Message copy = m.message;
    EXPECT_EQ(model::encode(copy), m.bytes) << file << " frame " << frame;
    EXPECT_TRUE(m.message.issues.empty()) << model::format_tree(m.message);
    return std::move(m);
  }
  ADD_FAILURE() << file << ": no WPDU starts in frame " << frame;
  return {model::Direction::Request, 0, 0, 0, 0, {}, {}, model::Message(*dlms())};
}

std::string hex(std::span<const uint8_t> b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) {
    s += digits[x >> 4];
    s += digits[x & 15];
  }
  return s;
}

std::string bytes_at(const model::Message& m, const std::string& path) {
  uint32_t v = m.find(path);
  EXPECT_NE(v, model::kNone) << path << "\n" << model::format_tree(m);
  return v == model::kNone ? "" : hex(m.bytes(v));
}

std::string obis(const model::Message& m, const std::string& path) {
  std::string s;
  for (const char* g : {"a", "b", "c", "d", "e", "f"}) {
    auto v = m.get(path + "." + g);
    s += (s.empty() ? "" : ".") + (v ? std::to_string(*v) : std::string("?"));
  }
  return s;
}

const std::string kOutput = "wrapper_gurux_Output.pcap";
const std::string kHls = "wrapper_gurux_Output-Ciphered-HLS.pcap";
const std::string kList = "wrapper_DLMS_list.pcap";

// GET-Response-Normal whose Data is an array of two structures of four
// elements (the capture_objects of a Profile generic), frame 10 of Output.pcap.
TEST(DlmsValues, GetResponseNormalWithNestedArrayAndStructures) {
  auto dm = at(kOutput, 4063, 10);
  const auto& m = dm.message;
  ASSERT_EQ(m.type_name(), "get_response_normal") << model::format_tree(m);
  EXPECT_EQ(dm.bytes.size(), 50u);
  EXPECT_EQ(m.get("version"), 1);
  EXPECT_EQ(m.get("source_wport"), 1);
  EXPECT_EQ(m.get("destination_wport"), 1);
  EXPECT_EQ(m.get("length"), 42);
  EXPECT_EQ(m.get("apdu.tag"), 0xC4);
  EXPECT_EQ(m.get("apdu.service.choice"), 1);
  EXPECT_EQ(m.get("apdu.service.invoke_id_and_priority"), 0x81);
  EXPECT_EQ(m.get("apdu.service.invoke_id_and_priority.priority"), 1);
  EXPECT_EQ(m.get("apdu.service.invoke_id_and_priority.service_class"), 0);
  EXPECT_EQ(m.get("apdu.service.invoke_id_and_priority.invoke_id"), 1);
  EXPECT_EQ(m.get("apdu.service.result.choice"), 0);  // data
  const std::string data = "apdu.service.result.data.";
  EXPECT_EQ(m.get(data + "tag"), 1);  // array
  EXPECT_EQ(m.get(data + "count"), 2);
  struct Row {
    int64_t class_id;
    std::string logical_name;
  };
  const Row rows[] = {{8, "0000010000ff"}, {3, "0101151900ff"}};
  for (int i = 0; i < 2; ++i) {
    const std::string s = data + "elements[" + std::to_string(i) + "].";
    EXPECT_EQ(m.get(s + "tag"), 2);  // structure
    EXPECT_EQ(m.get(s + "count"), 4);
    EXPECT_EQ(m.get(s + "elements[0].tag"), 18);  // long-unsigned: class_id
    EXPECT_EQ(m.get(s + "elements[0].value"), rows[i].class_id);
    EXPECT_EQ(m.get(s + "elements[1].tag"), 9);  // octet-string: logical_name
    EXPECT_EQ(m.get(s + "elements[1].length"), 6);
    EXPECT_EQ(bytes_at(m, s + "elements[1].value"), rows[i].logical_name);
    EXPECT_EQ(m.get(s + "elements[2].tag"), 15);  // integer: attribute_index
    EXPECT_EQ(m.get(s + "elements[2].value"), 2);
    EXPECT_EQ(m.get(s + "elements[3].tag"), 18);  // long-unsigned: data_index
    EXPECT_EQ(m.get(s + "elements[3].value"), 0);
  }
  // and the request it answers (frame 9): Profile generic 1.0.99.1.0.255 attribute 3
  auto req = at(kOutput, 4063, 9);
  ASSERT_EQ(req.message.type_name(), "get_request_normal");
  EXPECT_EQ(req.message.get("apdu.service.descriptor.class_id"), 7);
  EXPECT_EQ(obis(req.message, "apdu.service.descriptor.instance_id"), "1.0.99.1.0.255");
  EXPECT_EQ(req.message.get("apdu.service.descriptor.attribute_id"), 3);
  EXPECT_EQ(req.message.get("apdu.service.access_selection_present"), 0);
}

// One GET-Response-Normal for each Data type.
TEST(DlmsValues, DataTypesOfGetResponses) {
  auto s = at(kOutput, 4063, 20);  // structure of unsigned / long-unsigned
  EXPECT_EQ(s.message.get("apdu.service.result.data.count"), 7);
  EXPECT_EQ(s.message.get("apdu.service.result.data.elements[1].value"), 16);
  EXPECT_EQ(s.message.get("apdu.service.result.data.elements[2].value"), 756);
  auto b = at(kOutput, 4063, 22);  // bit-string of 24 bits, empty octet string
  EXPECT_EQ(b.message.get("apdu.service.result.data.elements[0].tag"), 4);
  EXPECT_EQ(b.message.get("apdu.service.result.data.elements[0].bit_count"), 24);
  EXPECT_EQ(bytes_at(b.message, "apdu.service.result.data.elements[0].bits"), "401e5d");
  EXPECT_EQ(b.message.get("apdu.service.result.data.elements[5].length"), 0);
  auto dt = at(kOutput, 4063, 72);  // octet-string(12) holding a date-time
  EXPECT_EQ(bytes_at(dt.message, "apdu.service.result.data.value"), "07e7040d04161e1300feb600");
  auto l = at(kOutput, 4063, 74);  // long (signed)
  EXPECT_EQ(l.message.get("apdu.service.result.data.tag"), 16);
  EXPECT_EQ(l.message.get("apdu.service.result.data.value"), -330);
  auto v = at(kOutput, 4063, 54);  // visible-string
  EXPECT_EQ(v.message.get("apdu.service.result.data.tag"), 10);
  auto text = v.message.bytes(v.message.find("apdu.service.result.data.value"));
  EXPECT_EQ(std::string(text.begin(), text.end()), "Gurux FW 0.0.1");
  auto u = at(kOutput, 4063, 62);  // double-long-unsigned
  EXPECT_EQ(u.message.get("apdu.service.result.data.value"), 123456);
  auto n = at(kOutput, 4063, 68);  // null-data
  EXPECT_EQ(n.message.get("apdu.service.result.data.tag"), 0);
  auto e = at(kOutput, 4063, 28);  // enum
  EXPECT_EQ(e.message.get("apdu.service.result.data.tag"), 22);
  EXPECT_EQ(e.message.get("apdu.service.result.data.value"), 2);
}

// AARQ / AARE with the xDLMS initiate APDUs inside the
// user-information OCTET STRING, and the LLS password.
TEST(DlmsValues, AssociationWithInitiateRequestAndResponse) {
  auto rq = at(kList, 4059, 4);
  const auto& q = rq.message;
  ASSERT_EQ(q.type_name(), "association_request") << model::format_tree(q);
  EXPECT_EQ(q.get("destination_wport"), 1);
  EXPECT_EQ(q.get("source_wport"), 16);
  EXPECT_EQ(bytes_at(q, "apdu.application_context_name.name.value"),
            "60857405080101");  // 2.16.756.5.8.1.1
  const std::string init = "apdu.user_information.octet_string.xdlms.";
  EXPECT_EQ(q.get("apdu.user_information.octet_string.length"), 14);
  EXPECT_EQ(q.get(init + "tag"), 1);
  EXPECT_EQ(q.get(init + "dedicated_key_present"), 0);
  EXPECT_EQ(q.get(init + "response_allowed_present"), 0);
  EXPECT_EQ(q.get(init + "proposed_quality_of_service_present"), 0);
  EXPECT_EQ(q.get(init + "proposed_dlms_version_number"), 6);
  EXPECT_EQ(q.get(init + "proposed_conformance.tag"), 0x5F1F);
  EXPECT_EQ(q.get(init + "proposed_conformance.bits"), 0x007016);
  for (const char* bit :
       {"priority_mgmt_supported", "attribute0_supported_with_get",
        "block_transfer_with_get_or_read", "get", "selective_access", "event_notification"}) {
    EXPECT_EQ(q.get(init + "proposed_conformance.bits." + bit), 1) << bit;
  }
  EXPECT_EQ(q.get(init + "proposed_conformance.bits.set"), 0);
  EXPECT_EQ(q.get(init + "client_max_receive_pdu_size"), 0xFFFF);

  auto rs = at(kList, 4059, 6);
  const auto& r = rs.message;
  ASSERT_EQ(r.type_name(), "association_response");
  EXPECT_EQ(r.get("apdu.result.value.value"), 0);
  EXPECT_EQ(r.get("apdu.result_source_diagnostic.source.value.value"), 0);
  EXPECT_EQ(r.get(init + "tag"), 8);
  EXPECT_EQ(r.get(init + "negotiated_dlms_version_number"), 6);
  EXPECT_EQ(r.get(init + "negotiated_conformance.bits"), 0x001014);
  EXPECT_EQ(r.get(init + "server_max_receive_pdu_size"), 1024);
  EXPECT_EQ(r.get(init + "vaa_name"), 7);

  auto lls = at("wrapper_port5025_dlms.pcap", 5025, 4);
  const auto& a = lls.message;
  ASSERT_EQ(a.type_name(), "association_request");
  EXPECT_EQ(a.get("apdu.sender_acse_requirements.bits.authentication"), 1);
  EXPECT_EQ(bytes_at(a, "apdu.mechanism_name.value"), "60857405080201");  // 2.16.756.5.8.2.1 LLS
  uint32_t password = a.find("apdu.calling_authentication_value.value.value");
  ASSERT_NE(password, model::kNone) << model::format_tree(a);
  EXPECT_TRUE(a.field(password)->secret) << "the password is a secret field";
  EXPECT_EQ(hex(a.bytes(password)), "7472616e73746563");  // "transtec"
  EXPECT_EQ(a.get(init + "proposed_conformance.bits"), 0x00FE1D);
}

// GET with a list; GET with a range descriptor whose Data holds
// date-time values (tag 25).
TEST(DlmsValues, GetWithListAndSelectiveAccess) {
  auto rq = at(kList, 4059, 8);
  ASSERT_EQ(rq.message.type_name(), "get_request_with_list");
  EXPECT_EQ(rq.message.get("apdu.service.count"), 4);
  EXPECT_EQ(obis(rq.message, "apdu.service.descriptors[3].descriptor.instance_id"),
            "1.1.21.25.0.255");
  EXPECT_EQ(rq.message.get("apdu.service.descriptors[3].descriptor.class_id"), 3);
  auto rs = at(kList, 4059, 9);
  ASSERT_EQ(rs.message.type_name(), "get_response_with_list");
  EXPECT_EQ(rs.message.get("apdu.service.count"), 4);
  EXPECT_EQ(rs.message.get("apdu.service.results[0].data.value"), 0x54001540);
  EXPECT_EQ(rs.message.get("apdu.service.results[1].data.tag"), 23);  // float32
  EXPECT_EQ(bytes_at(rs.message, "apdu.service.results[1].data.value"), "a3d70a3d");
  EXPECT_EQ(rs.message.get("apdu.service.results[2].data.value"), 77);
  EXPECT_EQ(rs.message.get("apdu.service.results[3].data.tag"), 0);

  auto sel = at(kList, 4059, 10);
  const auto& s = sel.message;
  ASSERT_EQ(s.type_name(), "get_request_normal");
  EXPECT_EQ(s.get("apdu.service.access_selection_present"), 1);
  EXPECT_EQ(s.get("apdu.service.access_selection.access_selector"), 1);  // range_descriptor
  const std::string p = "apdu.service.access_selection.access_parameters.";
  EXPECT_EQ(s.get(p + "count"), 4);
  EXPECT_EQ(s.get(p + "elements[1].tag"), 25);
  const std::string from = p + "elements[1].value.";
  EXPECT_EQ(s.get(from + "year"), 2018);
  EXPECT_EQ(s.get(from + "month"), 1);
  EXPECT_EQ(s.get(from + "day_of_month"), 10);
  EXPECT_EQ(s.get(from + "day_of_week"), 3);
  EXPECT_EQ(s.get(from + "hour"), 19);
  EXPECT_EQ(s.get(from + "minute"), 28);
  EXPECT_EQ(s.get(from + "second"), 42);
  EXPECT_EQ(s.get(from + "hundredths"), 71);
  EXPECT_EQ(s.get(from + "deviation"), -60);
  EXPECT_EQ(s.get(p + "elements[2].value.hour"), 20);
  EXPECT_EQ(s.get(p + "elements[3].tag"), 1);
  EXPECT_EQ(s.get(p + "elements[3].count"), 0);
}

// The ciphered envelope, with a long A-XDR length kept in its form.
TEST(DlmsValues, GloCipheredApdus) {
  auto g = at(kHls, 4063, 5);
  const auto& m = g.message;
  ASSERT_EQ(m.type_name(), "glo_get_request");
  EXPECT_EQ(m.get("apdu.tag"), 0xC8);
  EXPECT_EQ(m.get("apdu.length"), 30);
  EXPECT_EQ(m.get("apdu.security_control"), 0x30);
  EXPECT_EQ(m.get("apdu.security_control.authentication"), 1);
  EXPECT_EQ(m.get("apdu.security_control.encryption"), 1);
  EXPECT_EQ(m.get("apdu.security_control.suite_id"), 0);
  EXPECT_EQ(m.get("apdu.invocation_counter"), 4);
  EXPECT_EQ(m.bytes(m.find("apdu.ciphered_information")).size(), 13u);
  EXPECT_TRUE(m.field(m.find("apdu.ciphered_information"))->opaque);
  EXPECT_EQ(bytes_at(m, "apdu.authentication_tag"), "c28e1d5812179ba99c5a7414");

  auto r = at(kHls, 4063, 6);
  ASSERT_EQ(r.message.type_name(), "glo_get_response");
  EXPECT_EQ(r.message.get("apdu.length"), 0x3FB);
  EXPECT_EQ(r.message.values[r.message.find("apdu.length")].form, 3) << "82 03 fb";
  EXPECT_EQ(r.message.bytes(r.message.find("apdu.ciphered_information")).size(), 0x3FBu - 5 - 12);

  // the AARQ: system title and a glo-initiate-request in the user-information
  auto a = at(kHls, 4063, 1);
  ASSERT_EQ(a.message.type_name(), "association_request");
  EXPECT_EQ(bytes_at(a.message, "apdu.calling_ap_title.system_title.value"), "4d4d4d0000bc614e");
  EXPECT_EQ(bytes_at(a.message, "apdu.mechanism_name.value"), "60857405080205");  // HLS GMAC
  EXPECT_EQ(a.message.get("apdu.user_information.octet_string.xdlms.tag"), 0x21);
  EXPECT_EQ(a.message.get("apdu.user_information.octet_string.xdlms.invocation_counter"), 0);
}

// ACCESS request and response (Output.pcap frames 7 and 8).
TEST(DlmsValues, AccessRequestAndResponse) {
  auto q = at(kOutput, 4063, 7);
  ASSERT_EQ(q.message.type_name(), "access_request");
  EXPECT_EQ(q.message.get("apdu.long_invoke_id_and_priority.priority"), 1);
  EXPECT_EQ(q.message.get("apdu.long_invoke_id_and_priority.long_invoke_id"), 1);
  EXPECT_EQ(q.message.get("apdu.date_time.length"), 0);
  EXPECT_EQ(q.message.get("apdu.specification_count"), 2);
  EXPECT_EQ(obis(q.message, "apdu.specifications[1].descriptor.instance_id"), "1.0.31.4.0.255");
  EXPECT_EQ(q.message.get("apdu.specifications[1].descriptor.class_id"), 5);
  EXPECT_EQ(q.message.get("apdu.data_count"), 2);
  auto r = at(kOutput, 4063, 8);
  ASSERT_EQ(r.message.type_name(), "access_response");
  EXPECT_EQ(r.message.get("apdu.specification_present"), 0);
  EXPECT_EQ(r.message.get("apdu.data_count"), 2);
  EXPECT_EQ(r.message.get("apdu.data[0].count"), 2);
  EXPECT_EQ(r.message.get("apdu.result_count"), 2);
  EXPECT_EQ(r.message.get("apdu.results[1].result"), 0);
}

}  // namespace
}  // namespace pc
