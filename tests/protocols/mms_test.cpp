// The MMS model (models/mms.yaml) on every shared MMS capture: each TPKT decodes to a
// named message type and re-encodes byte for byte, its values at every layer equal
// tshark's, COTP segments are the declared opaque pieces tshark reassembles, every
// declared message type builds and decodes back, and tshark accepts every default message.
#include <gtest/gtest.h>

#include <set>

#include "core/capture/pcap_reader.hpp"
#include "core/capture/pcap_writer.hpp"
#include "core/capture/tcp_conversation.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "core/model/printer.hpp"
#include "tests/protocols/model_checks.hpp"
#include "tests/protocols/mms_tshark.hpp"

namespace pc {
namespace {

using namespace mms_test;

const std::vector<std::string> kCaptures = {"8d7c7db0-9804-012b-b2a6-0016cb8cea27.pcap",
                                            "Sample_File_MMS_and_GOOSE.pcap", "piccolo.pcap",
                                            "simens.pcap"};

std::shared_ptr<const model::Model> mms() { return protocols::cached_model("mms.yaml"); }

std::string capture_path(const std::string& name) { return protocols::capture_path("mms", name); }

dissect::Dissection dissect_file(const std::string& name) {
  return protocols::dissect_file(*mms(), capture_path(name));
}

bool is_piece(const model::Message& m) {
  return m.type_name() == "data_segment" || m.type_name() == "data_continuation";
}

class MmsCapture : public ::testing::TestWithParam<std::string> {};

TEST_P(MmsCapture, EveryTpktResolvesAndReencodesByteForByte) {
  ASSERT_TRUE(mms());
  auto d = dissect_file(GetParam());
  ASSERT_GT(d.decoded(), 0u);
  for (auto& m : d.messages) {
    ASSERT_TRUE(m.message.resolved()) << "frame " << m.frame << "\n"
                                      << model::format_tree(m.message);
    EXPECT_EQ(m.message.issues.size(), 0u) << "frame " << m.frame << "\n"
                                           << model::format_tree(m.message);
    model::Message copy = m.message;
    ASSERT_EQ(model::encode(copy), m.bytes) << "frame " << m.frame << "\n"
                                            << model::format_tree(m.message);
    // raw bytes only in declared opaque fields
    for (uint32_t v = 0; v < m.message.values.size(); ++v) {
      if (m.message.values[v].flags & (model::kRaw | model::kExcess)) {
        ADD_FAILURE() << "raw or excess value in frame " << m.frame << " at " << m.message.path(v);
      }
    }
  }
  // The only bytes on port 102 that do not frame: two 1-byte TCP keep-alive segments
  // (tshark: "TPKT Continuation") at the end of two connections of the Sample file.
  std::vector<std::pair<uint64_t, uint64_t>> unframed;
  for (const auto& u : d.unframed) unframed.emplace_back(u.frame, u.size);
  std::vector<std::pair<uint64_t, uint64_t>> want;
  if (GetParam() == "Sample_File_MMS_and_GOOSE.pcap") want = {{96, 1}, {281, 1}};
  EXPECT_EQ(unframed, want);
}

// The message counts the captures README gives, by type.
TEST_P(MmsCapture, MessageCountsMatchTheCapturesReadme) {
  auto d = dissect_file(GetParam());
  std::map<std::string, size_t> types;
  for (const auto& m : d.messages) ++types[m.message.type_name()];
  size_t pieces = types["data_segment"] + types["data_continuation"];
  size_t cotp = types["connection_request"] + types["connection_confirm"];
  size_t acse_release = types["release_request"] + types["release_response"];
  size_t mms_pdus = d.decoded() - pieces - cotp - acse_release;
  if (GetParam() == "piccolo.pcap") {
    EXPECT_EQ(mms_pdus, 5u);
    EXPECT_EQ(types["status_request"], 1u);
  } else if (GetParam() == "simens.pcap") {
    EXPECT_EQ(mms_pdus, 414u - 27u) << "27 of the 414 PDUs are reassembled from COTP segments";
    EXPECT_EQ(types["data_segment"], 40u);
    EXPECT_EQ(types["data_continuation"], 27u);
  } else if (GetParam() == "Sample_File_MMS_and_GOOSE.pcap") {
    EXPECT_EQ(mms_pdus, 8u + 28u);
    EXPECT_EQ(types["information_report"], 28u);
    EXPECT_EQ(types["confirmed_error"], 1u);
    EXPECT_EQ(acse_release, 2u);
  } else {
    EXPECT_EQ(mms_pdus, 163u);
    EXPECT_EQ(types["information_report"], 115u);
    EXPECT_EQ(cotp, 2u);
  }
}

// Values our messages hold, per frame, in the order tshark lists them.
struct Ours {
  std::vector<std::string> tpkt_length, cotp_type, cotp_eot, cotp_srcref, ses_type, ses_length,
      pres_ctx, pres_mode, pres_abstract, acse_context, invoke_id, request_service,
      response_service, unconfirmed_service, domain_id, item_id, vmd_specific, failure, vendor;
};

void collect(const model::Message& m, Ours& o) {
  auto s = [](int64_t x) { return std::to_string(x); };
  o.tpkt_length.push_back(s(num(m, m.find("length"))));
  for (uint32_t v = 0; v < m.values.size(); ++v) {
    const std::string name = name_of(m, v);
    const std::string path = m.path(v);
    if (name == "tpdu_code") o.cotp_type.push_back(s(num(m, v)));
    if (name == "eot") o.cotp_eot.push_back(s(num(m, v)));
    if (name == "src_ref") o.cotp_srcref.push_back(s(num(m, v)));
    if (name == "si") o.ses_type.push_back(s(num(m, v)));
    if (name == "li" && path != "tpdu.li") o.ses_length.push_back(s(num(m, v)));
    if (name == "presentation_context_identifier") o.pres_ctx.push_back(s(num(m, contents(m, v))));
    if (name == "mode_value") o.pres_mode.push_back(s(num(m, contents(m, v))));
    if (name == "abstract_syntax_name" &&
        type_name_of(m, m.values[v].parent) == "context_list_item") {
      o.pres_abstract.push_back(oid_text(m.bytes(contents(m, v))));
    }
    if (name == "application_context_name") {
      o.acse_context.push_back(
          oid_text(m.bytes(contents(m, m.child_named(v, m.model().names.find("name"))))));
    }
    if (name == "invoke_id") o.invoke_id.push_back(s(num(m, v)));
    if (name == "service") {
      uint32_t parent = m.values[v].parent;
      int64_t outer = num(m, m.child_named(parent, m.model().names.find("tag")));
      int64_t tag = static_cast<int64_t>(m.values[v + 2].num);  // switch > case > tag
      if (outer == 0xA0) o.request_service.push_back(s(tag & 0x1F));
      if (outer == 0xA1) o.response_service.push_back(s(tag & 0x1F));
      if (outer == 0xA3) o.unconfirmed_service.push_back(s(tag & 0x1F));
    }
    if (name == "domain_id") o.domain_id.push_back(text_of(m.bytes(contents(m, v))));
    if (name == "item_id") o.item_id.push_back(text_of(m.bytes(contents(m, v))));
    if (type_name_of(m, v) == "vmd_specific_name")
      o.vmd_specific.push_back(text_of(m.bytes(contents(m, v))));
    if (type_name_of(m, v) == "data_access_failure") o.failure.push_back(s(num(m, contents(m, v))));
    if (name == "vendor_name") o.vendor.push_back(text_of(m.bytes(contents(m, v))));
  }
}

// tshark prints numbers in decimal or 0x-hex and booleans as 1/0 or True/False.
std::vector<std::string> normalized(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& x : in) {
    if (x == "True")
      out.push_back("1");
    else if (x == "False")
      out.push_back("0");
    else if (x.rfind("0x", 0) == 0)
      out.push_back(std::to_string(std::stoll(x, nullptr, 16)));
    else
      out.push_back(x);
  }
  return out;
}

TEST_P(MmsCapture, FieldValuesEqualTsharks) {
  auto d = dissect_file(GetParam());
  const std::vector<std::string> fields = {"tpkt.length",
                                           "cotp.type",
                                           "cotp.eot",
                                           "cotp.srcref",
                                           "ses.type",
                                           "ses.length",
                                           "pres.presentation_context_identifier",
                                           "pres.mode_value",
                                           "pres.abstract_syntax_name",
                                           "acse.aSO_context_name",
                                           "mms.invokeID",
                                           "mms.confirmedServiceRequest",
                                           "mms.confirmedServiceResponse",
                                           "mms.unconfirmedService",
                                           "mms.domainId",
                                           "mms.itemId",
                                           "mms.vmd_specific",
                                           "mms.failure",
                                           "mms.vendorName",
                                           "cotp.segments"};
  auto ts = tshark_fields(capture_path(GetParam()), fields, "tpkt");
  std::map<uint64_t, std::vector<const dissect::DissectedMessage*>> ours;
  for (const auto& m : d.messages) ours[m.last_frame].push_back(&m);
  size_t compared = 0;
  for (const auto& entry : ours) {
    const uint64_t frame = entry.first;
    const auto& msgs = entry.second;
    auto it = ts.find(frame);
    ASSERT_NE(it, ts.end()) << "tshark has no TPKT in frame " << frame;
    const auto& t = it->second;
    Ours o;
    bool tail = false;  // the frame ends a segmented TSDU
    for (const auto* m : msgs) {
      collect(m->message, o);
      tail = tail || m->message.type_name() == "data_continuation";
    }
    auto check = [&](size_t field, const std::vector<std::string>& mine) {
      EXPECT_EQ(mine, normalized(t[field])) << "frame " << frame << " " << fields[field] << "\n"
                                            << model::format_tree(msgs[0]->message);
      compared += mine.size();
    };
    check(0, o.tpkt_length);
    check(1, o.cotp_type);
    check(2, o.cotp_eot);
    check(3, o.cotp_srcref);
    // tshark shows the reassembled TSDU in the frame of its last segment, where we have an
    // opaque tail; a segment alone has no upper layers in either view
    EXPECT_EQ(tail, !t[19].empty())
        << "frame " << frame << ": tshark reassembles COTP segments here";
    if (tail) continue;
    for (size_t i = 4; i <= 18; ++i) {
      const std::vector<std::string>* mine[] = {&o.ses_type,
                                                &o.ses_length,
                                                &o.pres_ctx,
                                                &o.pres_mode,
                                                &o.pres_abstract,
                                                &o.acse_context,
                                                &o.invoke_id,
                                                &o.request_service,
                                                &o.response_service,
                                                &o.unconfirmed_service,
                                                &o.domain_id,
                                                &o.item_id,
                                                &o.vmd_specific,
                                                &o.failure,
                                                &o.vendor};
      check(i, *mine[i - 4]);
    }
  }
  // every TPKT tshark sees is one of ours (the keep-alive "continuations" have no TPKT header)
  for (const auto& [frame, values] : ts) {
    if (!values[0].empty())
      EXPECT_TRUE(ours.count(frame)) << "tshark decodes a TPKT in frame " << frame;
  }
  EXPECT_GT(compared, 3 * d.decoded());
}

INSTANTIATE_TEST_SUITE_P(Shared, MmsCapture, ::testing::ValuesIn(kCaptures), [](const auto& info) {
  std::string n = info.param.substr(0, info.param.find('.'));
  for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n;
});

// COTP segmentation in simens.pcap: the DT TPDUs with EOT = 0, and the TPDUs that end a
// segmented TSDU, carry the model's declared opaque pieces (a per-TPKT model cannot
// reassemble them). The frames are those where tshark sees EOT = 0 and reassembles.
TEST(MmsSegments, SimensSegmentFramesAreTheOnesTsharkReassembles) {
  auto d = dissect_file("simens.pcap");
  std::vector<uint64_t> segments, continuations;
  for (const auto& m : d.messages) {
    if (m.message.type_name() == "data_segment") segments.push_back(m.last_frame);
    if (m.message.type_name() == "data_continuation") continuations.push_back(m.last_frame);
    if (is_piece(m.message)) {
      uint32_t seg = m.message.find("tpdu.tsdu.segment");
      ASSERT_NE(seg, model::kNone);
      EXPECT_TRUE(m.message.field(seg)->opaque);
      EXPECT_EQ(m.message.get("tpdu.sequence.eot"),
                m.message.type_name() == "data_continuation" ? 1 : 0);
    }
  }
  const std::vector<uint64_t> want_segments = {
      6,  10, 11, 12, 15, 19, 20, 21, 24, 26, 29, 32, 34, 36, 38, 39, 44, 46,  48,  49,
      52, 54, 55, 58, 60, 62, 66, 68, 72, 74, 77, 81, 83, 89, 91, 92, 95, 106, 110, 121};
  const std::vector<uint64_t> want_continuations = {8,  11, 13, 17, 20, 22, 26,  30,  34,
                                                    37, 40, 46, 50, 53, 55, 60,  64,  67,
                                                    69, 74, 78, 85, 93, 96, 108, 110, 122};
  EXPECT_EQ(segments, want_segments);
  EXPECT_EQ(continuations, want_continuations);
  // tshark: one "cotp.eot == 0" per segment, and a reassembly in each continuation frame
  auto ts = tshark_fields(capture_path("simens.pcap"), {"cotp.eot", "cotp.segments"}, "cotp");
  std::vector<uint64_t> ts_segments, ts_reassembled;
  for (const auto& [frame, v] : ts) {
    for (const auto& eot : v[0]) {
      if (eot == "0" || eot == "False") ts_segments.push_back(frame);
    }
    if (!v[1].empty()) ts_reassembled.push_back(frame);
  }
  EXPECT_EQ(segments, ts_segments);
  EXPECT_EQ(continuations, ts_reassembled);
}

// Sample_File: 28 informationReports on connections whose set-up was not captured still
// decode from the TPKT down, with the presentation context 3 of the PDV.
TEST(MmsSampleFile, InformationReportsWithoutSetupDecodeFromTheTpktDown) {
  auto d = dissect_file("Sample_File_MMS_and_GOOSE.pcap");
  std::set<uint32_t> setup_streams;
  for (const auto& m : d.messages) {
    if (m.message.type_name() == "initiate_response") setup_streams.insert(m.stream);
  }
  size_t reports = 0;
  for (const auto& m : d.messages) {
    if (m.message.type_name() != "information_report" || setup_streams.count(m.stream)) continue;
    ++reports;
    const auto& msg = m.message;
    EXPECT_EQ(msg.get("version"), 3);
    EXPECT_EQ(msg.get("tpdu.code.tpdu_code"), 0xF);
    EXPECT_EQ(msg.get("tpdu.sequence.eot"), 1);
    EXPECT_EQ(msg.get("tpdu.tsdu.give_tokens.si"), 1);
    EXPECT_EQ(msg.get("tpdu.tsdu.data_transfer.si"), 1);
    EXPECT_EQ(
        msg.get("tpdu.tsdu.user_information.pdv_lists[0].presentation_context_identifier.value"),
        3);
    EXPECT_EQ(
        msg.get("tpdu.tsdu.user_information.pdv_lists[0].presentation_data_values.mms_pdu.tag"),
        0xA3);
    EXPECT_NE(first_named(msg, "list_of_access_result"), model::kNone);
  }
  EXPECT_EQ(reports, 28u);
}

// Every message type the model declares, in both directions: built with its defaults,
// encoded, decoded back to the same type, re-encoded to the same bytes, no broken rule.
TEST(MmsMessageTypes, EveryTypeBuildsEncodesAndDecodesBack) {
  const auto& m = *mms();
  ASSERT_GE(m.messages.size(), 70u);
  protocols::expect_every_type_builds(m);
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    const std::string name = m.str(m.messages[id].name);
    model::Message built = model::build(m, id);
    auto bytes = model::encode(built);
    model::Message back = model::decode(m, m.messages[id].direction, bytes);
    EXPECT_EQ(back.get("length"), static_cast<int64_t>(bytes.size())) << name << ": TPKT length";
  }
}

// The default messages written as one TCP conversation: tshark dissects every frame
// without a malformed mark or an expert error, and we decode each back. COTP reassembly is
// off in tshark because the conversation holds DT segments of both directions and tshark
// joins class 0 segments without regard to direction.
TEST(MmsEmit, TsharkAcceptsEveryDefaultMessage) {
  const auto& m = *mms();
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("emit.pcap");
  {
    auto w = capture::PcapWriter::create(path);
    ASSERT_TRUE(w.ok());
    auto conv = capture::TcpConversation::open(w.value(), {"127.0.0.1", 40000}, {"127.0.0.1", 102});
    ASSERT_TRUE(conv.ok());
    for (model::MessageId id = 0; id < m.messages.size(); ++id) {
      model::Message msg = model::build(m, id);
      auto bytes = model::encode(msg);
      conv.value().send(msg.direction == model::Direction::Request ? capture::Side::client
                                                                   : capture::Side::server,
                        bytes);
    }
    conv.value().close();
    ASSERT_TRUE(w.value().close().ok());
  }
  const std::string options = std::string(kContexts) + " -o cotp.reassemble:FALSE";
  auto bad = tshark_fields(path, {"_ws.col.Info"}, "_ws.malformed || _ws.expert.severity >= error",
                           options);
  for (const auto& [frame, v] : bad) ADD_FAILURE() << "tshark: frame " << frame << " " << v[0][0];
  auto tpkts = tshark_fields(path, {"tpkt.length", "mms"}, "tpkt", options);
  size_t seen = 0, mms_frames = 0;
  for (const auto& [frame, v] : tpkts) {
    seen += v[0].size();
    mms_frames += !v[1].empty();
  }
  EXPECT_EQ(seen, m.messages.size()) << "tshark sees every TPKT";
  EXPECT_GE(mms_frames, 50u) << "tshark dissects the MMS PDUs";

  auto cap = capture::read_capture(path);
  ASSERT_TRUE(cap.ok());
  auto d = dissect::dissect(m, cap.value(), {});
  ASSERT_EQ(d.decoded(), m.messages.size());
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    EXPECT_EQ(d.messages[id].message.type, id) << m.str(m.messages[id].name);
  }
}

}  // namespace
}  // namespace pc
