#include "core/campaign/executor.hpp"

#include "core/model/decoder.hpp"
#include "core/model/framer.hpp"

namespace pc::campaign {

Executor::Executor(const model::Model& model, TargetControl& target) : model_(model), target_(target), cutter_(model) {}

void Executor::close() {
  if (conn_) conn_->close();
  conn_.reset();
}

transport::Received Executor::step(const generate::Step& s, const model::Message& request, oracle::AnswerView& view) {
  if (!conn_ || !conn_->is_open()) {
    conn_ = target_.transport();
    transport::Received opened = conn_->open(transport::Clock::now() + target_.probe_deadline());
    if (opened.outcome != transport::Outcome::Answer) {
      conn_.reset();
      view = oracle::classify_answer(model_, &request, opened);
      return opened;
    }
  }
  transport::Received sent = conn_->send(s.bytes);
  if (sent.outcome != transport::Outcome::Answer) {
    close();
    view = oracle::classify_answer(model_, &request, sent);
    return sent;
  }
  const auto deadline = transport::Clock::now() + deadline_;
  transport::Received rx;
  for (int attempt = 0; attempt < 8; ++attempt) {
    rx = conn_->receive(cutter_, deadline);
    view = oracle::classify_answer(model_, &request, rx);
    // an answer to an earlier request (after a lost case) is skipped, not judged
    if (rx.outcome != transport::Outcome::Answer || !view.stale) break;
  }
  if (rx.outcome != transport::Outcome::Answer) close();
  return rx;
}

oracle::CaseResult Executor::run(const generate::TestCase& test, bool fresh) {
  if (fresh) close();
  oracle::CaseResult r;
  r.test = &test;
  raw_.clear();
  sent_utc_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  auto one = [&](const generate::Step& s) {
    // judge the message the device frames: bytes after it start another (junk) message
    std::span<const uint8_t> framed(s.bytes);
    model::Framer framer(model_);
    auto cut = framer.next(framed);
    if (cut.kind == model::Framer::Cut::Kind::Message && cut.size < framed.size()) framed = framed.first(cut.size);
    r.requests.push_back(model::decode(model_, model::Direction::Request, framed));
    oracle::AnswerView view;
    transport::Received rx = step(s, r.requests.back(), view);
    r.answers.push_back(std::move(view));
    raw_.push_back(std::move(rx));
  };
  for (const auto& s : test.steps) one(s);
  for (const auto& s : test.undo) one(s);
  return r;
}

}  // namespace pc::campaign
