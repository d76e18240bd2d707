// Background processes and loopback ports for the e2e suites (servers the tests start).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace customs_test {

// A free TCP port on 127.0.0.1 (bound and released: free at the time of the call).
int FreePort();
// True when something accepts connections on 127.0.0.1:port.
bool Accepts(int port);
// fork/exec in the background, stdout+stderr into `log`, stdin /dev/null; `env_add` ("K=V") added to
// (or replacing in) the caller's environment, built before fork.
pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env_add, const std::string& log);

}  // namespace customs_test
