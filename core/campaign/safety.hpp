// What a campaign may send: writes only where allowed (or none with --read-only), only
// to the unit ids in scope, never a message the user excluded. Checked on the exact
// bytes of every step before it is sent; a refused case is recorded as excluded.
#pragma once

#include <string>

#include "core/campaign/options.hpp"
#include "core/generate/test_case.hpp"
#include "core/model/message.hpp"

namespace pc::campaign {

class Safety {
 public:
  Safety(const model::Model& model, const Options& options)
      : model_(model),
        options_(options),
        any_rule_(options.read_only || !options.writable.empty() || !options.unit_ids.empty() ||
                  !options.exclusions.empty()) {}
  // "" when the case may be sent, else why not.
  std::string check(const generate::TestCase& test) const;
  std::string check_message(const model::Message& msg) const;

 private:
  const model::Model& model_;
  const Options& options_;
  bool any_rule_;  // with no rule at all, nothing needs decoding
};

}  // namespace pc::campaign
