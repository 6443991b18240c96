#include "core/campaign/parallel.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace pc::campaign {

struct Parallel::Impl {
  const model::Model& model;
  TargetControl& target;
  const generate::Systematic& gen;
  const Safety& safety;
  const oracle::DataMap& map;
  uint32_t connections;
  std::chrono::microseconds deadline;
  double rate;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::unique_ptr<ParallelResult>> done;
  uint64_t next = 0, end = 0;
  bool paused = false, stopping = false;
  uint32_t busy = 0;
  std::chrono::steady_clock::time_point next_slot;

  Impl(const model::Model& m, TargetControl& t, const generate::Systematic& g, const Safety& s, const oracle::DataMap& dm,
       uint32_t n, std::chrono::microseconds d, double r)
      : model(m), target(t), gen(g), safety(s), map(dm), connections(n), deadline(d), rate(r) {}

  // a worker: one connection, cases until there are none or it is told to stop
  void work() {
    Executor ex(model, target);
    ex.set_deadline(deadline);
    for (;;) {
      uint64_t index;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stopping || (!paused && next < end); });
        if (stopping) return;
        index = next++;
        ++busy;
        if (rate > 0) {
          auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1.0 / rate));
          auto now = std::chrono::steady_clock::now();
          next_slot = std::max(next_slot + gap, now);
          auto wait_until = next_slot;
          lock.unlock();
          std::this_thread::sleep_until(wait_until);
        }
      }
      auto r = std::make_unique<ParallelResult>();
      gen.generate(index, r->test);
      r->excluded = safety.check(r->test);
      if (r->excluded.empty()) {
        r->result = ex.run(r->test, r->test.fresh_connection);
        r->raw = ex.raw();
        r->sent_utc_ms = ex.sent_utc_ms();
        r->result.test = &r->test;
        r->verdict = oracle::first_look(model, r->result, &map);
        // anything but a plain answer leaves the connection for the campaign to judge
        if (r->verdict.action != oracle::Verdict::Action::Ok) ex.close();
      }
      {
        std::lock_guard lock(mu);
        done.push_back(std::move(r));
        --busy;
      }
      cv.notify_all();
    }
  }
};

Parallel::Parallel(const model::Model& model, TargetControl& target, const generate::Systematic& gen,
                   const Safety& safety, const oracle::DataMap& map, uint32_t connections,
                   std::chrono::microseconds deadline, double rate)
    : impl_(std::make_unique<Impl>(model, target, gen, safety, map, connections, deadline, rate)) {}

Parallel::~Parallel() = default;

void Parallel::run(uint64_t from, uint64_t to, const std::function<bool(ParallelResult&)>& handle,
                   const std::function<bool()>& keep_going) {
  Impl& d = *impl_;
  {
    std::lock_guard lock(d.mu);
    d.next = from;
    d.end = to;
    d.paused = false;
    d.stopping = false;
  }
  std::vector<std::thread> workers;
  for (uint32_t i = 0; i < d.connections; ++i) workers.emplace_back([&d] { d.work(); });
  bool go = true;
  for (;;) {
    std::unique_ptr<ParallelResult> r;
    {
      std::unique_lock lock(d.mu);
      d.cv.wait(lock, [&] { return !d.done.empty() || (d.next >= d.end && d.busy == 0) || !go; });
      if (d.done.empty()) break;
      r = std::move(d.done.front());
      d.done.pop_front();
      if (go && (r->verdict.action != oracle::Verdict::Action::Ok)) {
        // the campaign judges this one alone: let the cases in flight finish first
        d.paused = true;
        d.cv.wait(lock, [&] { return d.busy == 0; });
      }
    }
    if (go) go = handle(*r) && keep_going();
    {
      std::lock_guard lock(d.mu);
      d.paused = false;
      if (!go) d.end = d.next;  // no new cases; those finished are still handed over
    }
    d.cv.notify_all();
  }
  {
    std::lock_guard lock(d.mu);
    d.stopping = true;
  }
  d.cv.notify_all();
  for (auto& w : workers) w.join();
}

}  // namespace pc::campaign
