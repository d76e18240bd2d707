// A small POSIX-like shell word splitter for Dockerfile RUN/CMD/ENTRYPOINT text, written by hand
// (no Debian-packaged library splits shell text into simple commands with source lines). It is NOT a
// shell: it removes quotes and backslash escapes, splits on the operators && || ; | & and newlines,
// drops # comments, and keeps $(...), backticks and ${...} inside their word unexpanded. It knows no
// control structures: `if`, `for`, `then` appear as ordinary words.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace customs::misconfig::frontends {

// (offset in the text, 1-based source line of the text from that offset on), sorted by offset.
using LineMap = std::vector<std::pair<size_t, int>>;
int LineAt(const LineMap& map, size_t offset);

struct ShellCommand {
  std::vector<std::string> argv;
  int line = 0;             // source line of the first word
  std::string after;        // operator before this command: "&&", "||", ";", "|", "&", "\n" or ""
  bool pipes_to_next = false;
};

std::vector<ShellCommand> SplitShellCommands(std::string_view text, const LineMap& lines);

}  // namespace customs::misconfig::frontends
