// `protocrawler decode`: every message of a protocol in a capture, one a line or JSON.
#include <fmt/core.h>

#include <iostream>

#include "apps/protocrawler/command.hpp"
#include "apps/protocrawler/message_json.hpp"
#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/encoder.hpp"
#include "core/model/printer.hpp"

namespace pc::cli {
namespace {

struct DecodeOptions {
  std::string model;
  std::string file;
  uint16_t port = 0;
  bool json = false;
  bool roundtrip = false;
  bool strict = false;
  bool tree = false;
  std::string link_direction = "request";
};

int run_decode(const Global& g, const DecodeOptions& o) {
  auto model = load_model(g, o.model);
  auto cap = capture::read_capture(o.file);
  if (!cap) throw UserError{fmt::format("{}: {}", o.file, cap.error().message), 2};
  dissect::DissectOptions dopt;
  dopt.server_port = o.port;
  dopt.link_direction = o.link_direction == "response" ? model::Direction::Response : model::Direction::Request;
  dissect::Dissection d = dissect::dissect(*model, cap.value(), dopt);

  size_t mismatches = 0, requests = 0;
  nlohmann::json messages = nlohmann::json::array();
  for (auto& dm : d.messages) {
    requests += dm.direction == model::Direction::Request;
    bool same = true;
    if (o.roundtrip) {
      model::Message copy = dm.message;
      same = model::encode(copy) == dm.bytes;
      mismatches += !same;
    }
    if (o.json) {
      nlohmann::json j = message_json(dm.message);
      j["frame"] = dm.frame;
      if (dm.last_frame != dm.frame) j["last_frame"] = dm.last_frame;
      j["stream"] = dm.stream;
      j["offset"] = dm.offset;
      j["bytes"] = hex_string(dm.bytes);
      if (o.roundtrip) j["roundtrip"] = same;
      messages.push_back(std::move(j));
    } else {
      fmt::print("{:>7} {:<3} {}{}\n", dm.frame, dm.direction == model::Direction::Request ? "req" : "rsp",
                 model::format_summary(dm.message), same ? "" : "  ROUNDTRIP MISMATCH");
      if (o.tree) {
        std::string t = model::format_tree(dm.message);
        fmt::print("{}", t);
      }
    }
  }
  const size_t invalid = d.invalid();
  uint64_t unframed_bytes = 0;
  for (const auto& u : d.unframed) unframed_bytes += u.size;
  if (o.json) {
    nlohmann::json unframed = nlohmann::json::array();
    for (const auto& u : d.unframed) {
      unframed.push_back({{"frame", u.frame}, {"direction", model::to_string(u.direction)}, {"stream", u.stream},
                          {"offset", u.offset}, {"size", u.size}, {"reason", u.reason}});
    }
    nlohmann::json out = {{"model", model->name},
                          {"file", o.file},
                          {"messages", messages},
                          {"unframed", unframed},
                          {"summary",
                           {{"decoded", d.decoded()},
                            {"requests", requests},
                            {"responses", d.decoded() - requests},
                            {"invalid", invalid},
                            {"unresolved", d.unresolved()},
                            {"unframed_runs", d.unframed.size()},
                            {"unframed_bytes", unframed_bytes},
                            {"roundtrip_mismatches", mismatches}}}};
    std::cout << out.dump(1) << "\n";
  } else {
    fmt::print("{}: {} messages decoded ({} requests, {} responses), {} invalid, {} unresolved", o.file, d.decoded(),
               requests, d.decoded() - requests, invalid, d.unresolved());
    if (o.roundtrip) fmt::print(", {} re-encode differently", mismatches);
    fmt::print("\n");
    for (const auto& u : d.unframed) {
      fmt::print("unframed: frame {} {} {} bytes at stream {} offset {}: {}\n", u.frame, model::to_string(u.direction),
                 u.size, u.stream, u.offset, u.reason);
    }
    if (d.streams_used == 0) {
      fmt::print("no stream uses port {}; give the server port with --port\n", o.port ? o.port : model->port);
    }
  }
  bool fail = !d.unframed.empty() || mismatches > 0 || (o.strict && invalid > 0);
  return fail ? 1 : 0;
}

}  // namespace

void add_decode_command(CLI::App& app, Global& g) {
  auto o = std::make_shared<DecodeOptions>();
  auto* cmd = app.add_subcommand("decode", "Decode every message of a protocol in a capture (pcap or pcapng)");
  cmd->add_option("--model", o->model, "Model name or path")->required();
  cmd->add_option("FILE", o->file, "Capture file (pcap or pcapng)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--port", o->port, "Server port: messages sent to it are requests (default: the model's port)");
  cmd->add_flag("--json", o->json, "Print one JSON document with every message's fields and broken rules");
  cmd->add_flag("--roundtrip", o->roundtrip, "Re-encode every message and fail if any differs from the capture");
  cmd->add_flag("--strict", o->strict, "Also fail when a message breaks a MUST rule");
  cmd->add_flag("--tree", o->tree, "Print every message's fields as a tree");
  cmd->add_option("--link-direction", o->link_direction,
                  "Direction of link-layer frames (captures without ports)")
      ->check(CLI::IsMember({"request", "response"}));
  cmd->footer(
      "Exit status: 0 when every byte framed (and, with --roundtrip, re-encoded identically;\n"
      "with --strict, no MUST rule broken); 1 otherwise; 2 for unreadable input.");
  cmd->callback([&g, o] {
    int rc = run_decode(g, *o);
    if (rc != 0) throw UserError{"decode found problems (see above)", rc};
  });
}

}  // namespace pc::cli
