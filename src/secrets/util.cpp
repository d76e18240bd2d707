// Small helpers of rule.h shared by the engine and the reporters.
#include <array>
#include <cmath>

#include "secrets/rule.h"

namespace customs::secrets {

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (char c : s) ++counts[static_cast<unsigned char>(c)];
  double n = static_cast<double>(s.size()), h = 0;
  for (size_t c : counts) {
    if (!c) continue;
    double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

std::string Mask(std::string_view secret) {
  // Four characters of a long value say which kind of credential it is (AKIA, ghp_, xoxb) without
  // giving away what matters; a short value keeps nothing.
  size_t keep = secret.size() >= 16 ? 4 : 0;
  std::string out(secret.substr(0, keep));
  out.append(secret.size() - keep, '*');
  return out;
}

}  // namespace customs::secrets
