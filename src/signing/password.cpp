#include "signing/password.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace customs::signing {

namespace {

std::string PromptOnTty(int fd, const std::string& prompt) {
  // Echo off before the prompt shows (as getpass: what was typed ahead is discarded), so that nothing
  // typed after the prompt is ever echoed.
  termios old{};
  const bool have_termios = ::tcgetattr(fd, &old) == 0;
  if (have_termios) {
    termios quiet = old;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  if (::write(fd, prompt.data(), prompt.size()) < 0) {
    int err = errno;
    if (have_termios) ::tcsetattr(fd, TCSAFLUSH, &old);
    throw IoError("/dev/tty", std::strerror(err));
  }
  std::string line;
  char c;
  bool ok = true;
  for (;;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = !line.empty();
      break;
    }
    if (c == '\n') break;
    if (line.size() > 4096) {
      ok = false;
      break;
    }
    line.push_back(c);
  }
  if (have_termios) ::tcsetattr(fd, TCSAFLUSH, &old);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (!ok) throw UsageError("no password read from the terminal");
  return line;
}

}  // namespace

std::string ReadPassword(const std::string& prompt, bool confirm) {
  for (const char* var : {"CUSTOMS_PASSWORD", "COSIGN_PASSWORD"})
    if (const char* v = std::getenv(var)) return v;
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    throw UsageError("a password is needed for the private key: set CUSTOMS_PASSWORD (or COSIGN_PASSWORD); "
                     "there is no terminal to ask on");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  std::string pw = PromptOnTty(fd, prompt);
  if (confirm && PromptOnTty(fd, "Enter password for private key again: ") != pw)
    throw UsageError("the two passwords differ");
  return pw;
}

}  // namespace customs::signing
