// Each construct of the model language on a small model of its own: decode with values,
// re-encode byte for byte, build, and the edge cases that make it lossless.
#include <gtest/gtest.h>

#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/printer.hpp"
#include "tests/model/test_util.hpp"

namespace pc::model::test {
namespace {

std::string model_with(const std::string& types, const std::string& root = "msg") {
  return "protocol: t\nframing: datagram\nrequest: " + root + "\nresponse: " + root + "\ntypes:\n" + types;
}

bool has_issue(const Message& m, const std::string& id) {
  for (const auto& i : m.issues) {
    if (m.model().rules[i.rule].id == id) return true;
  }
  return false;
}

void expect_roundtrip(const Model& model, const std::string& hex_text) {
  auto bytes = hex(hex_text);
  Message m = decode(model, Direction::Request, bytes);
  EXPECT_EQ(to_hex(encode(m)), to_hex(bytes)) << format_tree(m);
}

TEST(Language, MqttVarintKeepsOverlongFormsAndShrinksWhenSet) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: n, type: varint }
      - { name: rest, type: bytes }
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("80 01 ff"));
  EXPECT_EQ(m.get("n"), 128);
  m = decode(*model, Direction::Request, hex("ff ff ff 7f"));
  EXPECT_EQ(m.get("n"), 268435455);
  expect_roundtrip(*model, "80 80 00");  // zero written in three bytes stays three bytes
  m = decode(*model, Direction::Request, hex("80 80 00"));
  EXPECT_EQ(m.get("n"), 0);
  m.set("n", 5);
  EXPECT_EQ(to_hex(encode(m)), "05");
  // a fifth continuation byte is malformed, never read past
  m = decode(*model, Direction::Request, hex("ff ff ff ff 01"));
  EXPECT_TRUE(has_issue(m, "structure.malformed")) << format_tree(m);
  EXPECT_EQ(to_hex(encode(m)), "ff ff ff ff 01");
}

TEST(Language, BerTlvWithAllLengthFormsOptionalFieldsAndChoice) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    ber: 0x30
    fields:
      - { name: version, ber: 0x80, type: int, optional: true }
      - { name: name, ber: 0x81, type: text }
      - name: choice
        type: switch
        peek: ber_tag
        cases:
          0xA2: alt_a
          0x83: alt_b
  alt_a:
    ber: 0xA2
    fields:
      - { name: items, type: array, item: item }
  alt_b:
    ber: 0x83
    type: bytes
  item:
    ber: 0x02
    type: int
)y"));
  ASSERT_TRUE(model);
  // short forms, optional version present, choice A with two INTEGERs (one negative)
  auto bytes = hex("30 0f 80 01 05 81 02 68 69 a2 06 02 01 07 02 01 ff");
  Message m = decode(*model, Direction::Request, bytes);
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  EXPECT_EQ(m.get("version.value"), 5);
  EXPECT_EQ(m.get("choice.items[1].value"), -1);
  EXPECT_EQ(to_hex(encode(m)), to_hex(bytes));
  // optional version absent; long-form length 0x81 kept though short would do
  expect_roundtrip(*model, "30 81 08 81 01 78 83 03 aa bb cc");
  m = decode(*model, Direction::Request, hex("30 81 08 81 01 78 83 03 aa bb cc"));
  EXPECT_EQ(m.find("version"), kNone);
  EXPECT_EQ(m.bytes(m.find("choice.value")).size(), 3u);
  // indefinite length with end-of-contents octets
  bytes = hex("30 80 81 01 78 a2 80 02 01 01 00 00 00 00");
  m = decode(*model, Direction::Request, bytes);
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  EXPECT_EQ(m.get("choice.items[0].value"), 1);
  EXPECT_EQ(to_hex(encode(m)), to_hex(bytes));
  // indefinite lengths whose end-of-contents octets never come: reported, and the
  // re-encoding adds none (found by the decoder fuzzer on a DLMS answer)
  for (const char* cut : {"30 80 81 01 78 a2 80 02 01 01", "30 80 81 01 78 a2 80 99 01 01 05"}) {
    m = decode(*model, Direction::Request, hex(cut));
    EXPECT_TRUE(has_issue(m, "structure.missing_eoc")) << format_tree(m);
    EXPECT_EQ(to_hex(encode(m)), to_hex(hex(cut))) << format_tree(m);
  }
  // growing the text past 127 bytes switches the length to the long form
  m = decode(*model, Direction::Request, hex("30 06 81 01 78 83 01 00"));
  std::vector<uint8_t> big(200, 'x');
  ASSERT_TRUE(m.set_bytes(m.find("name.value"), big));
  auto out = encode(m);
  Message back = decode(*model, Direction::Request, out);
  EXPECT_TRUE(back.issues.empty()) << format_tree(back);
  EXPECT_EQ(back.get("name.length"), 200);
  EXPECT_EQ(out[0], 0x30);
  EXPECT_EQ(out[1], 0x81);  // 206 bytes of contents
  EXPECT_EQ(out[2], 206);
  // a tag no case claims: unresolved choice, bytes kept
  m = decode(*model, Direction::Request, hex("30 05 81 00 99 01 00"));
  EXPECT_TRUE(has_issue(m, "structure.unknown_case"));
  EXPECT_EQ(to_hex(encode(m)), "30 05 81 00 99 01 00");
}

TEST(Language, IndefiniteLengthClosesAfterAnAbsentLastField) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    ber: 0x30
    fields:
      - { name: a, ber: 0x80, type: int }
      - { name: b, ber: 0x81, type: text, optional: true }
  )y"));
  ASSERT_TRUE(model);
  // the optional last field absent: the end-of-contents octets still close the range
  expect_roundtrip(*model, "30 80 80 01 05 00 00");
  Message m = decode(*model, Direction::Request, hex("30 80 80 01 05 00 00"));
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  EXPECT_EQ(m.find("b"), kNone);
  // present, and followed by bytes after the end-of-contents octets
  expect_roundtrip(*model, "30 80 80 01 05 81 01 78 00 00 ee");
  // a field cut short inside the range, then the end-of-contents octets
  expect_roundtrip(*model, "30 80 80 05 05 00 00");
}

TEST(Language, EscapedLengthInBothForms) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: len, type: escaped_length, length_of: data }
      - { name: data, type: bytes }
      - { name: tail, type: u8 }
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("02 aa bb 07"));
  EXPECT_EQ(m.get("tail"), 7);
  m.set_bytes(m.find("data"), std::vector<uint8_t>(300, 1));
  auto out = encode(m);
  ASSERT_EQ(out.size(), 3u + 300 + 1);
  EXPECT_EQ(to_hex(std::span(out).first(3)), "ff 01 2c");
  Message back = decode(*model, Direction::Request, out);
  EXPECT_EQ(back.get("len"), 300);
  EXPECT_EQ(back.get("tail"), 7);
  EXPECT_TRUE(back.issues.empty());
}

TEST(Language, BitFieldsInBothOrdersAndEndianness) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - name: control
        type: bits
        size: 1
        fields:
          - { name: dir, bits: 1 }
          - { name: prm, bits: 1 }
          - { name: fcb, bits: 1 }
          - { name: fcv, bits: 1 }
          - { name: function, bits: 4 }
      - name: apci
        type: bits
        size: 2
        endian: little
        order: lsb
        fields:
          - { name: format, bits: 1 }
          - { name: ns, bits: 15 }
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("c4 02 01"));
  EXPECT_EQ(m.get("control.dir"), 1);
  EXPECT_EQ(m.get("control.prm"), 1);
  EXPECT_EQ(m.get("control.function"), 4);
  EXPECT_EQ(m.get("apci.format"), 0);
  EXPECT_EQ(m.get("apci.ns"), 129);  // 0x0102 >> 1
  m.set("apci.ns", 0x7FFF);
  m.set("control.function", 9);
  EXPECT_EQ(to_hex(encode(m)), "c9 fe ff");
}

TEST(Language, CrcBlocksLayerPinsABadCheckAndRecomputesAfterAnEdit) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    type: layer
    codec: "crc_blocks(8, 16, crc16_dnp)"
    content: frame
  frame:
    fields:
      - { name: start, type: u16, const: 0x0564, clause: "link" }
      - { name: length, type: u8, length_of: control..data, clause: "link" }
      - { name: control, type: u8 }
      - { name: destination, type: u16le }
      - { name: source, type: u16le }
      - { name: data, type: bytes }
)y"));
  ASSERT_TRUE(model);
  // a DNP3 link frame: header block + CRC, one data block + CRC (a read request)
  auto good = hex("05 64 0b c4 03 00 04 00 ef 7a c2 c2 01 3c 02 06 ef 80");
  Message m = decode(*model, Direction::Request, good);
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  EXPECT_EQ(m.get("destination"), 3);
  EXPECT_EQ(m.get("source"), 4);
  EXPECT_EQ(m.get("length"), 11);
  EXPECT_EQ(to_hex(encode(m)), to_hex(good));
  auto bad = good;
  bad[8] ^= 0xFF;  // the header CRC
  m = decode(*model, Direction::Request, bad);
  EXPECT_TRUE(has_issue(m, "structure.codec_check"));
  EXPECT_EQ(to_hex(encode(m)), to_hex(bad));  // the wrong CRC survives
  // an edit makes the encoder compute fresh CRCs
  m = decode(*model, Direction::Request, good);
  m.set("destination", 10);
  auto out = encode(m);
  Message back = decode(*model, Direction::Request, out);
  EXPECT_TRUE(back.issues.empty()) << format_tree(back);
  EXPECT_EQ(back.get("destination"), 10);
  // more than 16 data bytes: a CRC after every 16
  m.set_bytes(m.find("data"), std::vector<uint8_t>(40, 0x55));
  out = encode(m);
  EXPECT_EQ(out.size(), 10u + 40 + 2 * 3);
  back = decode(*model, Direction::Request, out);
  EXPECT_TRUE(back.issues.empty()) << format_tree(back);
  EXPECT_EQ(back.get("length"), 5 + 40);
}

TEST(Language, ChecksumRelationAndUnitsAndOffsets) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: words, type: u8, length_of: payload, unit: 2, offset: 1 }
      - { name: payload, type: bytes }
      - { name: crc, type: u16le, checksum: { algorithm: crc16_modbus, over: words..payload } }
)y"));
  ASSERT_TRUE(model);
  Message m = build(*model, 0);
  m.set_bytes(m.find("payload"), hex("01 03 00 00"));
  auto out = encode(m);
  EXPECT_EQ(out[0], 3);  // 4 bytes = 2 words, + 1
  Message back = decode(*model, Direction::Request, out);
  EXPECT_TRUE(back.issues.empty()) << format_tree(back);
  out[out.size() - 1] ^= 1;
  back = decode(*model, Direction::Request, out);
  EXPECT_TRUE(has_issue(back, "msg.crc.relation"));
  EXPECT_EQ(to_hex(encode(back)), to_hex(out));
}

TEST(Language, RecursiveTypesDecodeWithinTheirBound) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: root, type: data }
  data:
    type: switch
    peek: u8
    max_depth: 4
    cases:
      0x00: null_data
      0x01: data_array
      0x11: unsigned8
  null_data:
    fields: [{ name: tag, type: u8 }]
  unsigned8:
    fields: [{ name: tag, type: u8 }, { name: value, type: u8 }]
  data_array:
    fields:
      - { name: tag, type: u8 }
      - { name: count, type: axdr_length }
      - { name: items, type: array, item: data, count: count }
)y"));
  ASSERT_TRUE(model);
  auto nested = hex("01 02 11 05 01 01 00");  // array[ u8 5, array[ null ] ]
  Message m = decode(*model, Direction::Request, nested);
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  EXPECT_EQ(m.get("root.items[0].value"), 5);
  EXPECT_EQ(m.get("root.items[1].count"), 1);
  // deeper than the bound: reported, kept, no crash
  auto deep = hex("01 01 01 01 01 01 01 01 01 01 00");
  m = decode(*model, Direction::Request, deep);
  EXPECT_TRUE(has_issue(m, "structure.depth")) << format_tree(m);
  EXPECT_EQ(to_hex(encode(m)), to_hex(deep));
  // a count far beyond the bytes: truncated, bounded
  auto lying = hex("01 82 ff ff 00");
  m = decode(*model, Direction::Request, lying);
  EXPECT_TRUE(has_issue(m, "structure.truncated"));
  EXPECT_EQ(to_hex(encode(m)), to_hex(lying));
}

TEST(Language, PresenceFollowsAnEditedFlag) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - name: header
        type: bits
        size: 1
        fields:
          - { name: type, bits: 4 }
          - { name: qos, bits: 2 }
          - { name: reserved, bits: 2 }
      - { name: packet_id, type: u16, when: "header.qos > 0", default: 7 }
      - { name: payload, type: bytes }
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("30 aa"));
  EXPECT_EQ(m.find("packet_id"), kNone);
  EXPECT_EQ(m.bytes(m.find("payload")).size(), 1u);
  m.set("header.qos", 1);
  EXPECT_EQ(to_hex(encode(m)), "34 00 07 aa");
  m.set("header.qos", 0);
  EXPECT_EQ(to_hex(encode(m)), "30 aa");
}

TEST(Language, TruncationNamesTheFieldAndOffsetAndKeepsTheBytes) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: a, type: u16 }
      - { name: b, type: u32 }
      - { name: c, type: u8 }
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("00 01 02 03"));
  ASSERT_FALSE(m.issues.empty());
  EXPECT_EQ(m.model().rules[m.issues[0].rule].id, "structure.truncated");
  EXPECT_EQ(m.issues[0].offset, 2u);
  EXPECT_EQ(m.issues[0].expected, 4);
  EXPECT_EQ(m.issues[0].actual, 2);
  EXPECT_NE(format_issue(m, m.issues[0]).find("needs 4 bytes, 2 left"), std::string::npos);
  EXPECT_EQ(to_hex(encode(m)), "00 01 02 03");
}

TEST(Language, DirectionChoosesTheLayoutForTheSameCode) {
  auto model = load_text(R"y(protocol: t
framing: datagram
request: req
response: rsp
types:
  req:
    message: true
    fields: [{ name: code, type: u8 }, { name: address, type: u16 }]
  rsp:
    message: true
    fields: [{ name: code, type: u8 }, { name: count, type: u8, length_of: data }, { name: data, type: bytes }]
)y");
  ASSERT_TRUE(model);
  auto bytes = hex("03 02 00 07");
  EXPECT_EQ(decode(*model, Direction::Request, bytes).get("address"), 0x200);
  Message r = decode(*model, Direction::Response, bytes);
  EXPECT_EQ(r.get("count"), 2);
  EXPECT_EQ(r.bytes(r.find("data")).size(), 2u);
}

TEST(Language, LengthScopesNestInOneStruct) {
  // a packet length covering everything, with a string length inside it
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: remaining, type: varint, length_of: rest }
      - { name: name_length, type: u16, length_of: name }
      - { name: name, type: text }
      - { name: level, type: u8 }
      - { name: flags, type: u8 }
)y"));
  ASSERT_TRUE(model);
  auto bytes = hex("08 00 04 4d 51 54 54 05 02");
  Message m = decode(*model, Direction::Request, bytes);
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  EXPECT_EQ(m.bytes(m.find("name")).size(), 4u);
  EXPECT_EQ(m.get("level"), 5);
  EXPECT_EQ(m.get("flags"), 2);
  EXPECT_EQ(to_hex(encode(m)), to_hex(bytes));
  // the inner length says more than the outer one holds: cut short, bytes kept
  auto broken = hex("04 00 09 4d 51");
  m = decode(*model, Direction::Request, broken);
  EXPECT_TRUE(has_issue(m, "structure.truncated")) << format_tree(m);
  EXPECT_EQ(to_hex(encode(m)), to_hex(broken));
}

TEST(Language, ArrayItemsCarryEnumNamesAndRules) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - name: codes
        type: array
        item: { type: u8, values: { 1: one, 2: two }, valid: [{ range: [1, 2], clause: "x" }] }
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("01 02 09"));
  EXPECT_EQ(m.broken(), 1u);
  EXPECT_NE(format_tree(m).find("two"), std::string::npos);
  EXPECT_NE(load_error(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: codes, type: array, item: { type: u8, bogus: 1 } }
)y")).find("'bogus' does not apply to an array item"), std::string::npos);
}

TEST(Language, PreferredCaseAndBitContainerSelectors) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - name: control
        type: bits
        size: 1
        fields: [{ name: kind, bits: 4 }, { name: seq, bits: 4 }]
      - name: body
        type: switch
        on: control
        prefer: 0x43
        cases:
          "0x00..0x3f": low
          "0x40..0x4f": middle
  low:
    fields: [{ name: a, type: u8 }]
  middle:
    fields: [{ name: b, type: u16 }]
)y"));
  ASSERT_TRUE(model);
  Message m = build_field(*model, Direction::Request, model->root[0]);
  auto out = encode(m);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], 0x43);  // the preferred key, spread into the bit fields and encoded back
  Message back = decode(*model, Direction::Request, out);
  EXPECT_EQ(back.get("control.kind"), 4);
  EXPECT_EQ(back.get("control.seq"), 3);
}

TEST(Language, AndOrDecideWhenOneSideIsUnknown) {
  // a peek past the end is unknown; `remaining() > 1 && peek_u16() == 0x0102` is false
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    fields:
      - { name: tag, type: u16, when: "remaining() > 1 && peek_u16() == 0x0102" }
      - { name: rest, type: bytes }
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("01"));
  EXPECT_EQ(m.find("tag"), kNone);
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  m = decode(*model, Direction::Request, hex("01 02 03"));
  EXPECT_EQ(m.get("tag"), 0x0102);
}

TEST(Language, AnEditInsideAFrameWithABadCheckRecomputesTheChecks) {
  auto model = load_text(model_with(R"y(
  msg:
    message: true
    type: layer
    codec: "crc_trailer(crc16_modbus)"
    content: frame
  frame:
    fields: [{ name: a, type: u8 }, { name: b, type: u8 }]
)y"));
  ASSERT_TRUE(model);
  Message m = decode(*model, Direction::Request, hex("01 02 00 00"));  // a wrong CRC
  EXPECT_TRUE(has_issue(m, "structure.codec_check"));
  m.set("b", 3);
  Message back = decode(*model, Direction::Request, encode(m));
  EXPECT_TRUE(back.issues.empty()) << format_tree(back);
}

TEST(Language, DecodingAnyBytesNeverCrashesAndAlwaysRoundTrips) {
  auto model = load_named("modbus-tcp");
  ASSERT_TRUE(model);
  uint64_t x = 88172645463325252ULL;
  for (int n = 0; n < 20000; ++n) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    std::vector<uint8_t> b(x % 40);
    for (auto& c : b) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      c = static_cast<uint8_t>(x);
    }
    if (b.size() > 7) b[2] = b[3] = 0;
    Message m = decode(*model, (x & 1) ? Direction::Request : Direction::Response, b);
    ASSERT_EQ(to_hex(encode(m)), to_hex(b)) << format_tree(m);
  }
}

}  // namespace
}  // namespace pc::model::test
