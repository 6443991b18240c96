#include "core/availability/netns.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "core/observe/process_monitor.hpp"

namespace pc::availability {

namespace {

std::atomic<uint32_t> g_made{0};

bool sh(const std::string& command, std::string& error) {
  std::string out;
  int rc = observe::run_hook(command, {}, std::chrono::milliseconds(10000), &out);
  if (rc == 0) return true;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  error = fmt::format("`{}` failed ({}): {}", command, rc, out);
  return false;
}

// Namespaces of runs that were killed: their pid is gone.
void delete_stale() {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/run/netns", ec)) {
    std::string n = e.path().filename().string();
    if (n.rfind("pcdos-", 0) != 0) continue;
    auto dash = n.find('-', 6);
    if (dash == std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::strtol(n.substr(6, dash - 6).c_str(), nullptr, 10));
    if (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)) continue;
    std::string ignored;
    sh("ip netns del " + n, ignored);
  }
}

// Runs `fn` on a thread that has entered the namespace.
template <typename Fn>
int inside(const std::string& name, Fn fn) {
  int err = 0;
  std::thread t([&] {
    Fd ns(::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns.valid() || ::setns(ns.get(), CLONE_NEWNET) != 0) {
      err = errno;
      return;
    }
    fn();
  });
  t.join();
  return err;
}

}  // namespace

std::string ipv4_text(uint32_t a) { return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255); }

std::unique_ptr<Netns> Netns::create(const SocketAddress& target, std::string& why_not) {
  if (::geteuid() != 0) {
    why_not = "needs root (a network namespace and raw sockets); run as root to include it";
    return nullptr;
  }
  if (target.family() != AF_INET || (target.ipv4() >> 24) != 127) {
    why_not = "the tool's network namespace reaches loopback IPv4 targets only";
    return nullptr;
  }
  if (::access("/usr/sbin/ip", X_OK) != 0 && ::access("/sbin/ip", X_OK) != 0 && ::access("/usr/bin/ip", X_OK) != 0) {
    why_not = "the `ip` tool (iproute2) is not installed";
    return nullptr;
  }
  delete_stale();
  std::unique_ptr<Netns> ns(new Netns());
  const uint32_t n = g_made.fetch_add(1);
  const uint32_t pid = static_cast<uint32_t>(::getpid());
  ns->name_ = fmt::format("pcdos-{}-{}", pid, n);
  const uint32_t tag = (pid * 8 + n) % 100000;
  ns->host_if_ = fmt::format("pcd{}h", tag);
  ns->inside_if_ = fmt::format("pcd{}i", tag);
  // 198.18.0.0/15: 512 subnets of 256
  const uint32_t sub = (pid * 8 + n) % 512;
  ns->base_ = (198u << 24) | ((18u + sub / 256) << 16) | ((sub % 256) << 8);
  const std::string host = ipv4_text(ns->host_ipv4()), in = ipv4_text(ns->inside_ipv4());
  const std::string target_ip = ipv4_text(target.ipv4());
  ns->target_ip_ = target_ip;
  std::string err;
  if (!sh("ip netns add " + ns->name_, err)) {
    why_not = "cannot make a network namespace: " + err;
    return nullptr;
  }
  ns->made_ = true;
  const std::vector<std::string> steps = {
      fmt::format("ip link add {} type veth peer name {} netns {}", ns->host_if_, ns->inside_if_, ns->name_),
      fmt::format("ip addr add {}/24 dev {}", host, ns->host_if_),
      fmt::format("echo 1 > /proc/sys/net/ipv4/conf/{}/route_localnet", ns->host_if_),
      fmt::format("ip link set {} up", ns->host_if_),
      fmt::format("ip -n {} addr add {}/24 dev {}", ns->name_, in, ns->inside_if_),
      fmt::format("ip -n {} link set {} up", ns->name_, ns->inside_if_),
      fmt::format("ip netns exec {} sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet; "
                  "echo 1 > /proc/sys/net/ipv4/conf/{}/route_localnet'",
                  ns->name_, ns->inside_if_),
      fmt::format("ip -n {} route add {}/32 via {} dev {} src {}", ns->name_, target_ip, host, ns->inside_if_, in),
  };
  for (const auto& s : steps) {
    if (!sh(s, err)) {
      why_not = "cannot set up the network namespace: " + err;
      return nullptr;  // the destructor removes what was made
    }
  }
  int index = 0;
  inside(ns->name_, [&] { index = static_cast<int>(if_nametoindex(ns->inside_if_.c_str())); });
  ns->inside_ifindex_ = index;
  return ns;
}

Netns::~Netns() {
  if (!made_) return;
  std::string ignored;
  sh("ip netns del " + name_, ignored);  // takes the pair with it
  sh("ip link del " + host_if_ + " 2>/dev/null || true", ignored);
}

std::vector<Fd> Netns::sockets(size_t n, int domain, int type, int protocol, int& err) {
  std::vector<Fd> out;
  err = 0;
  int e = inside(name_, [&] {
    for (size_t i = 0; i < n; ++i) {
      Fd fd(::socket(domain, type | SOCK_CLOEXEC, protocol));
      if (!fd.valid()) {
        err = errno;
        return;
      }
      out.push_back(std::move(fd));
    }
  });
  if (e != 0) err = e;
  return out;
}

bool Netns::set_link(bool up, std::string& error) {
  if (!sh(fmt::format("ip -n {} link set {} {}", name_, inside_if_, up ? "up" : "down"), error)) return false;
  if (!up) return true;
  // a link that went down lost its routes: the one to the target comes back with it
  return sh(fmt::format("ip -n {} route replace {}/32 via {} dev {} src {}", name_, target_ip_,
                        ipv4_text(host_ipv4()), inside_if_, ipv4_text(inside_ipv4())),
            error);
}

}  // namespace pc::availability
