// A storm: one named kind of load (docs/dos.md lists them all). The rate stepper drives
// it from one thread: a rate storm gets `fire(n)` calls paced at the offered rate
// (connections, requests or packets per second); a level storm gets `set_level(n)` and
// holds that many peers (sessions, slow peers). Between calls `poll()` does the upkeep:
// finishing connects, reading answers, reopening peers the device closed, trickling.
//
// A storm never judges the device: it counts what it did (LoadCounters) and the
// essential-function monitor says what that did to the device. Running out of the
// tool's own descriptors or ports is a harness error, never a finding.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/availability/load_socket.hpp"
#include "core/model/model.hpp"

namespace pc::availability {

class Netns;

enum class Intensity : uint8_t {
  Rate,   // units per second (connections, requests, packets)
  Level,  // units held at once (sessions, slow peers)
};

struct StormParam {
  std::string_view name, default_value, doc;
};

struct StormInfo {
  std::string_view name;
  std::string_view requirement;  // "CR 7.1", "CR 7.2"
  Intensity intensity = Intensity::Rate;
  std::string_view unit;         // "requests/s", "sessions", ...
  bool needs_netns = false;      // root only: a tool-made network namespace
  std::string_view doc;          // one sentence: what it does to the device
  std::span<const StormParam> params;
  // A correct device answers every unit (a valid request): answers that fall behind what
  // was delivered mean the device took no more (target-intake).
  bool answered = false;
};

// What the load did so far; the stepper reads differences between steps.
struct LoadCounters {
  uint64_t ops = 0;               // units delivered: connections opened, requests or packets written
  uint64_t blocked = 0;           // units the device's TCP window would not take (its backpressure)
  uint64_t answers = 0;           // answers read back
  uint64_t refused = 0;           // connections refused, or closed by the device before serving
  uint64_t closed_by_target = 0;  // connections the device closed after serving
  uint64_t connect_timeouts = 0;  // connects that did not complete in 2 s
  uint32_t held = 0;              // connections or peers open now
  std::string harness_error;      // the tool ran out of something: no verdict on this step
};

// The messages a storm may send, every one passed through the campaign's safety rules.
struct MessagePools {
  std::string valid_name;                       // the message type of `valid`
  std::vector<std::vector<uint8_t>> valid;      // one valid request, counters 0..N-1
  std::vector<std::vector<uint8_t>> malformed;  // one-message cases of the fuzz catalogue
  std::vector<std::vector<uint8_t>> largest;    // valid requests of the largest sizes
  std::vector<std::string> largest_names;
};

// The storm's parameters as given ("name" -> "text"), read with defaults from its info.
class StormParams {
 public:
  StormParams() = default;
  StormParams(const StormInfo& info, std::map<std::string, std::string> given) : info_(&info), given_(std::move(given)) {}
  // Every given name is one of the storm's; false and the reason otherwise.
  bool check(std::string& error) const;
  std::string text(std::string_view name) const;
  double number(std::string_view name) const;
  std::map<std::string, std::string> effective() const;  // every parameter, defaults filled in

 private:
  const StormInfo* info_ = nullptr;
  std::map<std::string, std::string> given_;
};

struct LoadContext {
  const model::Model* model = nullptr;
  SocketAddress target;
  Netns* netns = nullptr;  // null: no namespace (not root, or not wanted)
  const MessagePools* pools = nullptr;
  StormParams params;
};

class Storm {
 public:
  virtual ~Storm() = default;
  virtual const StormInfo& info() const = 0;
  // Rate storms: n more units of load, now.
  virtual void fire(uint32_t n) { (void)n; }
  // Level storms: hold this many from now on.
  virtual void set_level(uint32_t level) { (void)level; }
  // Upkeep; waits at most `wait` for something to happen.
  virtual void poll(std::chrono::microseconds wait) = 0;
  // Ends the load: every socket closed.
  virtual void stop() = 0;

  // Session storms: the number of sessions the device served before it refused one.
  virtual std::optional<uint32_t> limit_found() const { return std::nullopt; }
  // Session storms, after stepping: every held peer vanishes without a FIN or RST (true),
  // or, when that is not possible, closes (false, `how` says why).
  virtual bool vanish(std::string& how) {
    how = "not a session storm";
    return false;
  }

  const LoadCounters& counters() const { return counters_; }

 protected:
  LoadCounters counters_;
};

}  // namespace pc::availability
