// Signing an evidence package's manifest with an OpenSSL key (RSA, EC or Ed25519, PEM),
// and checking such a signature (OpenSSL's EVP interface; no shelling out).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc::report {

struct Signature {
  std::vector<uint8_t> bytes;   // the signature over the data
  std::string public_key_pem;   // the signer's public key
  std::string key_sha256;       // SHA-256 of the public key (DER SubjectPublicKeyInfo), hex
};

// false and `error` when the key file cannot be read or signing fails.
bool sign(const std::string& private_key_pem_file, const std::string& data, Signature& out, std::string& error);
// The public key's fingerprint (as Signature::key_sha256) of a PEM public key; "" and
// `error` when it is not one.
std::string public_key_sha256(const std::string& public_key_pem, std::string& error);
// true when `signature` over `data` verifies with `public_key_pem`; else `error` says why.
bool verify_signature(const std::string& public_key_pem, const std::string& data,
                      const std::vector<uint8_t>& signature, std::string& error);

}  // namespace pc::report
