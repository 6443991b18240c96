#include "core/report/signing.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "core/store/sha256.hpp"

namespace pc::report {
namespace {

struct Free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  void operator()(BIO* b) const { BIO_free(b); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Ctx = std::unique_ptr<EVP_MD_CTX, Free>;
using Bio = std::unique_ptr<BIO, Free>;

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

// SHA-256 is the digest, except for keys that hash on their own (Ed25519, Ed448).
const EVP_MD* digest_for(EVP_PKEY* k) {
  const int id = EVP_PKEY_get_id(k);
  return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? nullptr : EVP_sha256();
}

std::string public_pem(EVP_PKEY* k) {
  Bio b(BIO_new(BIO_s_mem()));
  if (!b || PEM_write_bio_PUBKEY(b.get(), k) != 1) return "";
  char* data = nullptr;
  long n = BIO_get_mem_data(b.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string key_fingerprint(EVP_PKEY* k) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(k, &der);
  if (n <= 0) return "";
  std::string fp = store::sha256_hex(std::span<const uint8_t>(der, static_cast<size_t>(n)));
  OPENSSL_free(der);
  return fp;
}

Key read_public(const std::string& pem, std::string& error) {
  Bio b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Key k(b ? PEM_read_bio_PUBKEY(b.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!k) error = "not a PEM public key: " + openssl_error();
  return k;
}

}  // namespace

bool sign(const std::string& file, const std::string& data, Signature& out, std::string& error) {
  Bio b(BIO_new_file(file.c_str(), "r"));
  if (!b) {
    error = file + ": cannot read the key file: " + openssl_error();
    return false;
  }
  Key k(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr));
  if (!k) {
    error = file + ": not a PEM private key (or it is encrypted): " + openssl_error();
    return false;
  }
  Ctx ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_for(k.get()), nullptr, k.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    error = file + ": cannot sign with this key: " + openssl_error();
    return false;
  }
  out.bytes.resize(len);
  if (EVP_DigestSign(ctx.get(), out.bytes.data(), &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    error = file + ": signing failed: " + openssl_error();
    return false;
  }
  out.bytes.resize(len);
  out.public_key_pem = public_pem(k.get());
  out.key_sha256 = key_fingerprint(k.get());
  return true;
}

std::string public_key_sha256(const std::string& pem, std::string& error) {
  Key k = read_public(pem, error);
  return k ? key_fingerprint(k.get()) : "";
}

bool verify_signature(const std::string& pem, const std::string& data, const std::vector<uint8_t>& sig,
                      std::string& error) {
  Key k = read_public(pem, error);
  if (!k) return false;
  Ctx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest_for(k.get()), nullptr, k.get()) != 1) {
    error = "cannot verify with this key: " + openssl_error();
    return false;
  }
  const int rc = EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(data.data()),
                                  data.size());
  if (rc != 1) {
    ERR_clear_error();
    error = "the signature does not match the manifest";
    return false;
  }
  return true;
}

}  // namespace pc::report
