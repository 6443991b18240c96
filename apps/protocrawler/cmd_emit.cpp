// `protocrawler emit`: every message type of a model (or one) with its default values,
// written as a well-formed conversation in a pcap file.
#include <fmt/core.h>

#include <map>

#include "apps/protocrawler/command.hpp"
#include "core/capture/link_type.hpp"
#include "core/capture/pcap_writer.hpp"
#include "core/capture/tcp_conversation.hpp"
#include "core/model/builder.hpp"
#include "core/model/encoder.hpp"

namespace pc::cli {
namespace {

struct EmitOptions {
  std::string model;
  std::string message;
  std::string pcap;
  uint16_t port = 0;
};

// Requests first, each followed by the response of the same name (x_request, x_response).
std::vector<model::MessageId> emit_order(const model::Model& m) {
  auto stem = [&](model::MessageId id) {
    std::string n = m.str(m.messages[id].name);
    for (const char* suffix : {"_request", "_response"}) {
      std::string s = suffix;
      if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0) return n.substr(0, n.size() - s.size());
    }
    return n;
  };
  std::vector<model::MessageId> out;
  std::vector<bool> used(m.messages.size(), false);
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    if (m.messages[id].direction != model::Direction::Request) continue;
    out.push_back(id);
    used[id] = true;
    for (model::MessageId r = 0; r < m.messages.size(); ++r) {
      if (!used[r] && m.messages[r].direction == model::Direction::Response && stem(r) == stem(id)) {
        out.push_back(r);
        used[r] = true;
        break;
      }
    }
  }
  for (model::MessageId id = 0; id < m.messages.size(); ++id) {
    if (!used[id]) out.push_back(id);
  }
  return out;
}

void run_emit(const Global& g, const EmitOptions& o) {
  auto model = load_model(g, o.model);
  std::vector<model::MessageId> ids;
  if (!o.message.empty()) {
    model::MessageId id = model->find_message(o.message);
    if (id == model::kNone) throw UserError{fmt::format("model {} has no message type '{}'", model->name, o.message)};
    ids.push_back(id);
  } else {
    ids = emit_order(*model);
  }
  const uint16_t port = o.port ? o.port : (model->port ? model->port : 10000);
  const bool link = model->transport == "link";
  auto writer = capture::PcapWriter::create(o.pcap, link ? capture::link_type::user0 : capture::link_type::ethernet);
  if (!writer) throw UserError{fmt::format("{}: {}", o.pcap, writer.error().message)};
  capture::Endpoint client{"127.0.0.1", 40000}, server{"127.0.0.1", port};

  // counters from the session section (transaction ids and the like), echoed by a
  // response that follows its request
  std::map<model::NameId, int64_t> counters;
  for (const auto& c : model->session.counters) counters[c.field] = c.start;
  std::map<model::NameId, int64_t> last_request;
  auto apply_counters = [&](model::Message& msg) {
    for (const auto& c : model->session.counters) {
      for (uint32_t v = 0; v < msg.values.size(); ++v) {
        const auto* f = msg.field(v);
        if (!f || f->name != c.field) continue;
        if (msg.direction == model::Direction::Request) {
          msg.values[v].num = static_cast<uint64_t>(counters[c.field]);
          last_request[c.field] = counters[c.field];
          counters[c.field] += c.step;
          if (c.modulo) counters[c.field] %= c.modulo;
        } else if (last_request.count(c.field)) {
          msg.values[v].num = static_cast<uint64_t>(last_request[c.field]);
        }
        break;
      }
    }
  };

  std::vector<std::pair<model::Direction, std::vector<uint8_t>>> payloads;
  for (model::MessageId id : ids) {
    model::Message msg = model::build(*model, id);
    apply_counters(msg);
    payloads.emplace_back(msg.direction, model::encode(msg));
  }
  if (model->transport == "tcp") {
    auto conv = capture::TcpConversation::open(writer.value(), client, server);
    if (!conv) throw UserError{conv.error().message};
    for (const auto& [dir, bytes] : payloads) {
      conv.value().send(dir == model::Direction::Request ? capture::Side::client : capture::Side::server, bytes);
    }
    conv.value().close();
  } else {
    capture::FrameClock clock;
    for (const auto& [dir, bytes] : payloads) {
      bool req = dir == model::Direction::Request;
      if (link) {
        writer.value().write_frame(bytes, clock.next());
      } else {
        auto r = writer.value().write_udp(req ? client : server, req ? server : client, bytes, clock.next());
        if (!r) throw UserError{r.error().message};
      }
    }
  }
  auto closed = writer.value().close();
  if (!closed) throw UserError{closed.error().message};
  fmt::print("{}: {} messages of model {} written ({} server port {})\n", o.pcap, payloads.size(), model->name,
             model->transport, port);
}

}  // namespace

void add_emit_command(CLI::App& app, Global& g) {
  auto o = std::make_shared<EmitOptions>();
  auto* cmd = app.add_subcommand("emit", "Write every message type of a model with its default values to a pcap");
  cmd->add_option("--model", o->model, "Model name or path")->required();
  cmd->add_option("--message", o->message, "Only this message type");
  cmd->add_option("--pcap", o->pcap, "Output capture file")->required();
  cmd->add_option("--port", o->port, "Server port (default: the model's port)");
  cmd->callback([&g, o] { run_emit(g, *o); });
}

}  // namespace pc::cli
