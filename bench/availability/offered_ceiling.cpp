// pc-bench-dos: the tool's own offered-load ceiling on this machine, per storm. Each
// storm is stepped up (x2 per 1 s step) against an in-process echo sink that answers
// every byte with itself (a Modbus/TCP request echoed frames as one answer), until the
// tool can no longer deliver 95 % of the offered rate or its load thread is saturated.
// The highest rate it still delivered is what a device can be tested against from this
// machine: a device that outlasts it is "tool-limited", not "available at any rate".
//
//   pc-bench-dos [--seconds S] [--cpu-sink N --cpu-tool M] [--steps] [STORM...]
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/availability/essential_function.hpp"
#include "core/availability/message_pools.hpp"
#include "core/availability/netns.hpp"
#include "core/availability/rate_stepper.hpp"
#include "core/availability/storm_catalogue.hpp"
#include "core/campaign/options.hpp"
#include "core/campaign/safety.hpp"
#include "core/model/catalog.hpp"

namespace {

using namespace pc::availability;

void pin(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// Accepts everything and echoes every byte back, as fast as it can.
class EchoSink {
 public:
  explicit EchoSink(int cpu) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 4096);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, cpu] {
      pin(cpu);
      loop();
    });
  }
  ~EchoSink() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }
  uint16_t port() const { return port_; }

 private:
  void loop() {
    int ep = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listener_;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, listener_, &ev);
    std::vector<epoll_event> events(256);
    std::vector<char> buf(1 << 16);
    while (!stop_) {
      int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 50);
      for (int i = 0; i < n; ++i) {
        int fd = events[static_cast<size_t>(i)].data.fd;
        if (fd == listener_) {
          for (int c; (c = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
            epoll_event e{};
            e.events = EPOLLIN;
            e.data.fd = c;
            ::epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
          }
          continue;
        }
        ssize_t r = ::recv(fd, buf.data(), buf.size(), 0);
        if (r <= 0) {
          ::close(fd);
          continue;
        }
        ::send(fd, buf.data(), static_cast<size_t>(r), MSG_NOSIGNAL | MSG_DONTWAIT);
      }
    }
    ::close(ep);
  }
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The essential function of the bench: nothing to watch, always on time.
class Idle final : public Channel {
 public:
  bool open(std::string&) override { return true; }
  Reading read(pc::transport::Deadline) override {
    Reading r;
    r.kind = Reading::Kind::Answer;
    r.latency_us = 1;
    return r;
  }
  std::string describe() const override { return "none (bench)"; }
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1;
  int cpu_sink = -1, cpu_tool = -1;
  bool steps = false;
  std::vector<std::string> storms;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "--cpu-sink" && i + 1 < argc) {
      cpu_sink = std::atoi(argv[++i]);
    } else if (a == "--steps") {
      steps = true;
    } else if (a == "--cpu-tool" && i + 1 < argc) {
      cpu_tool = std::atoi(argv[++i]);
    } else {
      storms.push_back(a);
    }
  }
  if (storms.empty()) {
    storms = {"connection_flood", "request_flood", "malformed_flood", "large_request", "fragmented_request", "syn_flood",
              "udp_flood"};
  }
  pin(cpu_tool);
  raise_descriptor_limit();
  auto loaded = pc::model::Catalog({PC_MODELS_DIR}).load("modbus-tcp");
  auto model = std::get<std::shared_ptr<const pc::model::Model>>(loaded);
  pc::generate::Profile profile;
  std::string err;
  pc::generate::load_profile("sl3", profile, err);
  pc::campaign::Options opts;
  pc::campaign::Safety safety(*model, opts);
  MessagePools pools = build_pools(*model, profile, safety, {});
  EchoSink sink(cpu_sink);
  pc::transport::Address addr;
  pc::transport::parse_address("tcp://127.0.0.1:" + std::to_string(sink.port()), addr, err);
  LoadContext ctx;
  ctx.model = model.get();
  to_socket_address(addr, ctx.target, err);
  ctx.pools = &pools;
  std::string why_not;
  auto netns = Netns::create(ctx.target, why_not);
  ctx.netns = netns.get();
  EssentialSpec spec;
  spec.period = std::chrono::milliseconds(100);
  EssentialMonitor monitor(std::make_unique<Idle>(), spec, std::chrono::steady_clock::now());
  monitor.start(err);
  pc::observe::Thresholds thresholds;
  std::atomic<bool> stop{false};
  std::printf("%-20s %14s %10s  %s\n", "storm", "ceiling", "tool CPU", "stopped by");
  for (const auto& name : storms) {
    const auto* e = find_storm(name);
    if (!e) {
      std::fprintf(stderr, "no storm named %s\n", name.c_str());
      return 2;
    }
    if (e->info().needs_netns && !netns) {
      std::printf("%-20s %14s %10s  not run: %s\n", name.c_str(), "-", "-", why_not.c_str());
      continue;
    }
    ctx.params = StormParams(e->info(), {});
    auto storm = e->make(ctx);
    Stepper stepper(monitor, thresholds, stop);
    StormResult r;
    SteppingPlan plan{1000, 2, 1e8, std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)), 0};
    stepper.step_up(*storm, plan, r, [] { return true; });
    storm->stop();
    // the ceiling: the highest step the tool delivered in full
    double ceiling = 0, cpu = 0;
    for (const auto& s : r.steps) {
      if (s.limit.empty() && s.achieved > ceiling) {
        ceiling = s.achieved;
        cpu = s.tool_cpu;
      }
    }
    if (steps) {
      for (const auto& st : r.steps) {
        std::printf("  %12.0f offered %12.0f achieved %12.0f answered %5.0f%% CPU %s %s\n", st.offered, st.achieved,
                    st.answered_rate, 100 * st.tool_cpu, st.limit.c_str(), st.harness_error.c_str());
      }
    }
    const auto& last = r.steps.back();
    std::printf("%-20s %10.0f %-3s %9.0f%%  %s at %.0f offered (achieved %.0f, tool CPU %.0f%%)\n", name.c_str(),
                ceiling, std::string(e->info().unit).substr(0, 3).c_str(), 100 * cpu, r.stopped.c_str(), last.offered,
                last.achieved, 100 * last.tool_cpu);
  }
  monitor.stop();
  return 0;
}
