#include "core/oracle/data_map.hpp"

namespace pc::oracle {

std::optional<DataMap::Outside> DataMap::outside(const model::Message& req) const {
  if (!req.resolved()) return std::nullopt;
  const model::Model& m = req.model();
  const model::MessageDef& md = m.messages[req.type];
  if (md.table.empty() || md.access_address.empty()) return std::nullopt;
  auto t = tables.find(md.table);
  if (t == tables.end() || t->second.last < t->second.first) return std::nullopt;
  auto address = req.get(md.access_address);
  if (!address) return std::nullopt;
  int64_t count = md.access_count.empty() ? 1 : req.get(md.access_count).value_or(1);
  if (count < 1) return std::nullopt;  // a zero count is the count's own rule to judge
  Outside o;
  o.table = md.table;
  o.field = md.access_address;
  o.first = *address;
  o.last = *address + count - 1;
  o.write = md.writes;
  if (o.first >= t->second.first && o.last <= t->second.last) return std::nullopt;
  o.rule = t->second.rule != model::kNone ? m.rules[t->second.rule].id : "discovered." + md.table + ".range";
  return o;
}

}  // namespace pc::oracle
