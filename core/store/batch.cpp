#include "core/store/store.hpp"

namespace pc::store {

bool Batch::empty() const {
  return cases.empty() && bytes.empty() && coverage.empty() && latency.empty() && corpus.empty() &&
         state.empty() && !progress;
}

void Batch::clear() {
  cases.clear();
  bytes.clear();
  coverage.clear();
  latency.clear();
  corpus.clear();
  state.clear();
  progress.reset();
}

}  // namespace pc::store
