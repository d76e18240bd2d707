// The private key's password: $CUSTOMS_PASSWORD, else $COSIGN_PASSWORD (as cosign reads it; an empty value
// is an empty password), else a prompt on the terminal (/dev/tty, echo off). Never logged.
#pragma once

#include <string>

namespace customs::signing {

// `confirm`: ask twice (key generation) and refuse a mismatch. UsageError when there is no variable and
// no terminal to ask on.
std::string ReadPassword(const std::string& prompt, bool confirm);

}  // namespace customs::signing
