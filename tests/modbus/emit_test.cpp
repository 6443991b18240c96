// Every Modbus/TCP message the model emits with its default values is a message tshark
// dissects with no malformed-packet mark and no expert error, and that we decode back.
#include <gtest/gtest.h>

#include "core/capture/pcap_reader.hpp"
#include "core/capture/pcap_writer.hpp"
#include "core/capture/tcp_conversation.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/builder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "tests/support/run.hpp"

namespace pc {
namespace {

TEST(ModbusEmit, TsharkAcceptsEveryDefaultMessage) {
  auto r = model::load_model_file(std::string(PC_MODELS_DIR) + "/modbus-tcp.yaml");
  auto m = std::get<std::shared_ptr<const model::Model>>(r);
  test::TempDir dir;
  std::string path = dir.file("emit.pcap");
  {
    auto w = capture::PcapWriter::create(path);
    ASSERT_TRUE(w.ok());
    auto conv = capture::TcpConversation::open(w.value(), {"127.0.0.1", 40000}, {"127.0.0.1", 502});
    ASSERT_TRUE(conv.ok());
    uint16_t tid = 1;
    for (model::MessageId id = 0; id < m->messages.size(); ++id) {
      model::Message msg = model::build(*m, id);
      msg.set("transaction_id", tid++);
      auto bytes = model::encode(msg);
      conv.value().send(msg.direction == model::Direction::Request ? capture::Side::client : capture::Side::server,
                        bytes);
    }
    conv.value().close();
    ASSERT_TRUE(w.value().close().ok());
  }
  auto bad = test::run({"tshark", "-r", path, "-Y", "_ws.malformed || _ws.expert.severity >= error", "-T", "fields",
                        "-e", "frame.number", "-e", "_ws.col.Info"});
  ASSERT_EQ(bad.exit_code, 0) << bad.err;
  EXPECT_EQ(bad.out, "") << "frames tshark marks malformed or in error";
  auto count = test::run({"tshark", "-r", path, "-Y", "mbtcp", "-T", "fields", "-e", "mbtcp.trans_id"});
  ASSERT_EQ(count.exit_code, 0);
  size_t adus = 0;
  for (char c : count.out) adus += c == ',' || c == '\n';
  EXPECT_EQ(adus, m->messages.size()) << "tshark sees every emitted ADU";

  auto cap = capture::read_capture(path);
  ASSERT_TRUE(cap.ok());
  auto d = dissect::dissect(*m, cap.value(), {});
  ASSERT_EQ(d.decoded(), m->messages.size());
  for (model::MessageId id = 0; id < m->messages.size(); ++id) {
    EXPECT_EQ(d.messages[id].message.type, id) << m->str(m->messages[id].name);
  }
}

}  // namespace
}  // namespace pc
