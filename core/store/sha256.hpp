// SHA-256 of a byte string as 64 lowercase hex digits (OpenSSL EVP), for artefacts.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace pc::store {

// "" only if OpenSSL fails (it does not for in-memory data).
std::string sha256_hex(std::span<const uint8_t> data);

}  // namespace pc::store
