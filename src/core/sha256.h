// Streaming SHA-256 (OpenSSL EVP; uses the CPU's SHA extensions when present).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace customs {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* data, size_t n);
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  // "sha256:<64 hex>". The hasher is finished afterwards.
  std::string Digest();
  static std::string Of(std::string_view data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `s` is "sha256:" followed by 64 lowercase hex digits.
bool IsSha256Digest(std::string_view s);

}  // namespace customs
