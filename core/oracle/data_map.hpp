// What discovery learned of a device's data: for each table, the first mapped block of
// addresses, and the model's rule for addresses outside it. A normal answer to a request
// outside the map is a finding: a read returns data nothing maps (memory-disclosure), a
// write lands somewhere it must not (accepted-invalid).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/model/message.hpp"

namespace pc::oracle {

struct DataMap {
  struct Table {
    int64_t first = 0, last = -1;
    model::RuleId rule = model::kNone;
  };
  std::map<std::string, Table> tables;
  bool empty() const { return tables.empty(); }

  struct Outside {
    std::string table, field, rule;
    int64_t first = 0, last = 0;  // the addresses the request touches
    bool write = false;
  };
  // Does this request touch addresses outside its table's mapped block?
  std::optional<Outside> outside(const model::Message& request) const;
};

}  // namespace pc::oracle
