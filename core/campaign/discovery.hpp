// The short discovery phase before the systematic one: which request types the device
// supports, which address ranges of each data table it answers, and what it says of
// itself. Systematic cases then start from addresses that reach deep handlers instead of
// ending in an "illegal address" refusal.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/campaign/executor.hpp"
#include "core/campaign/safety.hpp"
#include "core/generate/catalog.hpp"
#include "core/oracle/data_map.hpp"

namespace pc::campaign {

struct DiscoveryResult {
  std::map<std::string, std::string> supported;             // message type -> reaction text
  std::map<std::string, std::pair<int64_t, int64_t>> ranges;  // table -> first readable block
  nlohmann::json identity = nlohmann::json::object();       // named fields of identify answers
  // What the device says it is, by the model's discovery.identity names: "vendor",
  // "product", "firmware", "model" -> the text it answered.
  std::map<std::string, std::string> said;
  uint32_t requests = 0;
  nlohmann::json to_json() const;
  // Default instances adjusted to the discovered ranges (addresses inside a block).
  std::map<model::MessageId, model::Message> defaults(const model::Model& model, const Safety& safety) const;
  // The data map the oracle judges with.
  oracle::DataMap data_map(const model::Model& model) const;
  // Cases at the edges of each table: just past its end, just before its start, and
  // reads that start inside and end outside.
  void add_edge_slots(const model::Model& model, generate::Catalog& catalog, uint32_t cap) const;
};

DiscoveryResult discover(const model::Model& model, Executor& executor, const Safety& safety, uint64_t seed);

}  // namespace pc::campaign
