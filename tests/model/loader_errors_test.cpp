// A broken model file gives file:line:column: what is wrong, never a crash.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/model/test_util.hpp"

namespace pc::model::test {
namespace {

// A minimal valid model; each case breaks one thing in it.
const char* kBase = R"(protocol: demo
framing: datagram
request: msg
response: msg
types:
  msg:
    message: true
    fields:
      - { name: kind, type: u8 }
      - { name: length, type: u8, length_of: body }
      - { name: body, type: bytes }
)";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kBase;
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(LoaderErrors, TheBaseModelLoads) { EXPECT_EQ(load_error(kBase), "<loaded>"); }

struct Case {
  std::string text;
  std::string expect;  // the whole "file:line:column: message" prefix that must appear
};

class BrokenModel : public ::testing::TestWithParam<Case> {};

TEST_P(BrokenModel, ReportsPositionAndCause) {
  std::string err = load_error(GetParam().text);
  EXPECT_NE(err.find(GetParam().expect), std::string::npos) << "got: " << err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BrokenModel,
    ::testing::Values(
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: u17 }"), "bad.yaml:9:29: unknown type 'u17'"},
        Case{with("length_of: body", "lenght_of: body"), "bad.yaml:10:35: unknown key 'lenght_of' in a field"},
        Case{with("length_of: body", "length_of: bdy"), "bad.yaml:10:46: 'bdy' is not a field beside 'length'"},
        Case{with("type: bytes }", "type: bytes, size: \"kind +\" }"), "bad.yaml:11:42: in expression 'kind +'"},
        Case{with("type: bytes }", "type: bytes, size: \"knd * 2\" }"), "no field is named 'knd'"},
        Case{with("protocol: demo", "protocol: Demo!"), "bad.yaml:1:11: protocol name may hold only"},
        Case{with("framing: datagram\n", ""), "bad.yaml:1:1: missing 'framing'"},
        Case{with("request: msg\n", ""), "missing 'request'"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: u8, default: 300 }"),
             "bad.yaml:9:9: default 300 does not fit in 1 bytes"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: u8, valid: [{ range: [1, 2] }] }"),
             "a rule needs the specification 'clause'"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: u8, clause: x, valid: [{ range: [1, 2], reactions: [explode] }] }"),
             "unknown reaction 'explode'"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: bits, size: 1, fields: [{ name: a, bits: 3 }] }"),
             "bit fields take 3 of 8 bits"},
        Case{with("{ name: kind, type: u8 }",
                  "{ name: kind, type: switch, peek: u8, cases: { \"1..5\": msg, 3: msg } }"),
             "case keys overlap at 3"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: layer, codec: \"crc_blocks(8, crc16_dnp)\", content: u8 }"),
             "codec crc_blocks takes 3 to 4 arguments, got 2"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: layer, codec: \"crc_blocks(8, 16, crc99)\", content: u8 }"),
             "unknown checksum 'crc99'"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: u8 }\n      - { name: kind, type: u8 }"),
             "field 'kind' declared twice"},
        Case{with("request: msg", "request: other"), "unknown type 'other'"},
        Case{std::string(kBase) + "  orphan:\n    message: true\n    fields: [{ name: x, type: u8 }]\n",
             "message type 'orphan' cannot be reached from request or response"},
        Case{with("fields:\n", "fields: [\n"), "bad.yaml:"},  // YAML syntax: position from the parser
        Case{"", "bad.yaml:"},
        Case{"- just\n- a list\n", "a model file is a mapping"},
        Case{with("{ name: body, type: bytes }", "{ name: body, type: array }"), "an array needs 'item'"},
        Case{with("{ name: kind, type: u8 }", "{ name: kind, type: u8, optional: true }"),
             "'optional' is for ber fields"}));

TEST(LoaderErrors, MissingFileIsAnErrorNotACrash) {
  auto r = load_model_file("/nonexistent/model.yaml");
  ASSERT_TRUE(std::holds_alternative<LoadError>(r));
  EXPECT_EQ(std::get<LoadError>(r).text(), "/nonexistent/model.yaml: cannot open the file");
}

TEST(LoaderErrors, MutatedModelTextNeverCrashes) {
  // every prefix of the Modbus model: either loads or reports an error with a cause
  std::string text;
  {
    std::ifstream in(std::string(PC_MODELS_DIR) + "/modbus-tcp.yaml");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(text.size(), 1000u);
  size_t errors = 0;
  for (size_t cut = 0; cut < text.size(); cut += 97) {
    auto r = load_model_text(text.substr(0, cut), "cut.yaml");
    if (auto* e = std::get_if<LoadError>(&r)) {
      EXPECT_FALSE(e->message.empty());
      ++errors;
    }
  }
  EXPECT_GT(errors, 0u);
}

}  // namespace
}  // namespace pc::model::test
