// The messages the storms send, taken from the model and checked with the campaign's
// safety rules (read-only, writable ranges, unit ids, exclusions) before any is sent:
//
//   valid      the essential function's request (or the model's probe), with the session
//              counters of 256 consecutive cases
//   malformed  up to 512 one-message cases spread over the profile's systematic catalogue
//   largest    valid requests of the largest sizes the model allows: the boundary
//              class's consistent edits (a count at its maximum, the array grown with it)
//              that break no MUST rule, largest first
//
// A message whose side effect the model declares (e.g. a listen-only mode that silences
// the device for every peer) is left out of every pool: it would stop the essential
// function by design, not by load. The pools are a pure function of model, profile and
// request.
#pragma once

#include <string>
#include <vector>

#include "core/availability/storm.hpp"
#include "core/campaign/safety.hpp"
#include "core/generate/profile.hpp"

namespace pc::availability {

struct PoolRequest {
  model::MessageId message = model::kNone;  // kNone: the model's probe
  std::vector<std::pair<std::string, int64_t>> set;
};

MessagePools build_pools(const model::Model& model, const generate::Profile& profile, const campaign::Safety& safety,
                         const PoolRequest& valid);

}  // namespace pc::availability
