// Wall-clock time as the store writes it: ISO 8601 in UTC with milliseconds,
// "2026-03-01T12:34:56.789Z", so text order is time order.
#pragma once

#include <chrono>
#include <string>

namespace pc::store {

std::string iso_utc(std::chrono::system_clock::time_point t);
std::string iso_utc_now();

}  // namespace pc::store
