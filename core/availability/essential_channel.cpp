#include "core/availability/essential_channel.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/campaign/model_cutter.hpp"
#include "core/generate/systematic.hpp"
#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/observe/process_monitor.hpp"
#include "core/oracle/answer.hpp"

namespace pc::availability {

namespace {

using transport::Clock;

uint32_t since_us(Clock::time_point t0) {
  return static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
}

class ConnectionChannel final : public Channel {
 public:
  ConnectionChannel(std::function<transport::Address()> a, ModelRequest r, std::string label)
      : address_(std::move(a)), req_(std::move(r)), label_(std::move(label)), counters_(*req_.model), cutter_(*req_.model),
        msg_(*req_.model) {
    msg_ = model::build(*req_.model, req_.message);
    for (const auto& [path, v] : req_.set) msg_.set(path, v);
  }

  bool open(std::string& error) override {
    Reading r = connect(Clock::now() + std::chrono::seconds(5));
    if (r.kind != Reading::Kind::Answer) {
      error = fmt::format("the essential function's channel ({}) cannot connect: {}", describe(), r.detail);
      return false;
    }
    return true;
  }

  Reading read(transport::Deadline deadline) override {
    const auto t0 = Clock::now();
    if (!conn_ || !conn_->is_open()) {
      Reading r = connect(deadline);
      if (r.kind != Reading::Kind::Answer) {
        r.latency_us = 0;
        return r;
      }
    }
    counters_.apply(msg_, cycle_++, 0);
    auto bytes = model::encode(msg_);
    Reading out;
    transport::Received sent = conn_->send(bytes);
    if (sent.outcome != transport::Outcome::Answer) {
      conn_.reset();
      out.kind = Reading::Kind::Lost;
      out.detail = fmt::format("send: {}", transport::to_string(sent.outcome));
      return out;
    }
    for (;;) {
      transport::Received rx = conn_->receive(cutter_, deadline);
      oracle::AnswerView view = oracle::classify_answer(*req_.model, &msg_, rx);
      out.latency_us = since_us(t0);
      if (rx.outcome == transport::Outcome::Answer && view.stale) continue;  // a late answer to an earlier cycle
      switch (rx.outcome) {
        case transport::Outcome::Answer: break;
        case transport::Outcome::Silence:
          out.kind = Reading::Kind::NoAnswer;
          out.detail = "no answer";
          out.latency_us = 0;
          return out;
        case transport::Outcome::Unframed:
          out.kind = Reading::Kind::Unexpected;
          out.detail = "bytes that do not frame";
          conn_->drain();
          return out;
        default:
          conn_.reset();
          out.kind = Reading::Kind::Lost;
          out.detail = transport::to_string(rx.outcome);
          out.latency_us = 0;
          return out;
      }
      if (view.reaction == oracle::Reaction::Refusal) {
        out.kind = Reading::Kind::Refusal;
        out.detail = oracle::reaction_text(*req_.model, view);
        return out;
      }
      if (view.reaction != oracle::Reaction::Normal || (req_.expect != model::kNone && view.type != req_.expect)) {
        out.kind = Reading::Kind::Unexpected;
        out.detail = view.text();
        return out;
      }
      out.kind = Reading::Kind::Answer;
      if (!req_.value.empty()) {
        model::Message answer = model::decode(*req_.model, model::Direction::Response, rx.bytes);
        out.value = answer.get(req_.value);
        if (!out.value) {
          out.kind = Reading::Kind::Unexpected;
          out.detail = "the answer has no " + req_.value;
        }
      }
      return out;
    }
  }

  std::string describe() const override { return fmt::format("{} {}", label_, address_().text()); }

 private:
  Reading connect(transport::Deadline deadline) {
    Reading r;
    transport::TcpOptions o;
    const transport::Address a = address_();
    conn_ = a.kind == transport::Address::Kind::Udp ? transport::make_udp_client(a) : transport::make_tcp_client(a, o);
    transport::Received rx = conn_->open(deadline);
    if (rx.outcome != transport::Outcome::Answer) {
      r.kind = Reading::Kind::Lost;
      r.detail = rx.error.empty() ? transport::to_string(rx.outcome) : rx.error;
      conn_.reset();
      return r;
    }
    r.kind = Reading::Kind::Answer;
    return r;
  }

  std::function<transport::Address()> address_;
  ModelRequest req_;
  std::string label_;
  generate::Counters counters_;
  campaign::ModelCutter cutter_;
  model::Message msg_;
  std::unique_ptr<transport::Transport> conn_;
  uint64_t cycle_ = 0;
};

class CommandChannel final : public Channel {
 public:
  CommandChannel(std::string command, std::string target, bool number)
      : command_(std::move(command)), target_(std::move(target)), number_(number) {}
  bool open(std::string& error) override {
    (void)error;
    return true;
  }
  Reading read(transport::Deadline deadline) override {
    Reading r;
    const auto t0 = Clock::now();
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - t0);
    if (left.count() < 1) left = std::chrono::milliseconds(1);
    std::string out;
    int rc = observe::run_hook(command_, {{"PROTOCRAWLER_TARGET", target_}}, left, &out);
    r.latency_us = since_us(t0);
    if (rc == -1) {
      r.kind = Reading::Kind::NoAnswer;
      r.detail = "the command timed out or died";
      r.latency_us = 0;
      return r;
    }
    if (rc != 0) {
      r.kind = Reading::Kind::Refusal;
      r.detail = fmt::format("exit {}", rc);
      return r;
    }
    r.kind = Reading::Kind::Answer;
    char* end = nullptr;
    const char* s = out.c_str();
    long long v = std::strtoll(s, &end, 0);
    if (end != s) {
      r.value = v;
    } else if (number_) {
      r.kind = Reading::Kind::Unexpected;
      r.detail = "no number on the command's output";
    }
    return r;
  }
  std::string describe() const override { return "command: " + command_; }

 private:
  std::string command_, target_;
  bool number_;
};

}  // namespace

std::unique_ptr<Channel> make_connection_channel(std::function<transport::Address()> address, ModelRequest request,
                                                 std::string label) {
  return std::make_unique<ConnectionChannel>(std::move(address), std::move(request), std::move(label));
}

std::unique_ptr<Channel> make_command_channel(const std::string& command, const std::string& target_text,
                                              bool wants_number) {
  return std::make_unique<CommandChannel>(command, target_text, wants_number);
}

}  // namespace pc::availability
