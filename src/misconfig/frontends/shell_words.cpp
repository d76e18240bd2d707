// Shell word splitter for Dockerfile commands (see shell_words.h: it is not a shell).
#include "misconfig/frontends/shell_words.h"

#include <algorithm>
#include <iterator>

namespace customs::misconfig::frontends {

int LineAt(const LineMap& map, size_t offset) {
  if (map.empty()) return 0;
  // The last entry whose offset is <= offset (the first entry when none is).
  auto it = std::upper_bound(map.begin(), map.end(), offset,
                             [](size_t o, const std::pair<size_t, int>& e) { return o < e.first; });
  return it == map.begin() ? map.front().second : std::prev(it)->second;
}

namespace {

// Copies a $(...) / ${...} group starting at text[i] ('$') into word; returns the index after it.
size_t CopyGroup(std::string_view text, size_t i, std::string& word) {
  const char open = text[i + 1];
  const char close = open == '(' ? ')' : '}';
  int depth = 0;
  size_t j = i + 1;
  for (; j < text.size(); ++j) {
    const char c = text[j];
    if (c == '\\' && j + 1 < text.size()) {
      ++j;
      continue;
    }
    if (c == '\'' && open == '(') {
      const size_t e = text.find('\'', j + 1);
      if (e == std::string_view::npos) { j = text.size(); break; }
      j = e;
      continue;
    }
    if (c == open) ++depth;
    if (c == close && --depth == 0) {
      ++j;
      break;
    }
  }
  word.append(text.substr(i, j - i));
  return j;
}

}  // namespace

std::vector<ShellCommand> SplitShellCommands(std::string_view text, const LineMap& lines) {
  std::vector<ShellCommand> out;
  ShellCommand cmd;
  std::string word;
  bool in_word = false;
  std::string pending;  // operator seen since the last command ended

  auto end_word = [&] {
    if (in_word) cmd.argv.push_back(std::move(word));
    word.clear();
    in_word = false;
  };
  auto start_word = [&](size_t pos) {
    if (!in_word && cmd.argv.empty()) cmd.line = LineAt(lines, pos);
    in_word = true;
  };
  auto end_command = [&](const std::string& op) {
    end_word();
    if (!cmd.argv.empty()) {
      cmd.after = pending;
      if (op == "|") cmd.pipes_to_next = true;
      out.push_back(std::move(cmd));
      cmd = ShellCommand();
      pending = op;
    } else if (!op.empty() && op != "\n") {
      pending = op;  // e.g. "a &&\n b": keep the && for b
    } else if (op == "\n" && pending.empty() && !out.empty()) {
      pending = op;
    }
  };

  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      end_word();
      ++i;
    } else if (c == '\n') {
      end_command("\n");
      ++i;
    } else if (c == '#' && !in_word) {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '\\') {
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        i += 2;  // line continuation
        continue;
      }
      start_word(i);
      if (i + 1 < text.size()) word += text[i + 1];
      i += 2;
    } else if (c == '\'') {
      start_word(i);
      const size_t e = text.find('\'', i + 1);
      const size_t stop = e == std::string_view::npos ? text.size() : e;
      word.append(text.substr(i + 1, stop - i - 1));
      i = stop + 1;
    } else if (c == '"') {
      start_word(i);
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) {
          const char n = text[i + 1];
          if (n == '"' || n == '\\' || n == '$' || n == '`') {
            word += n;
            i += 2;
            continue;
          }
          if (n == '\n') {
            i += 2;
            continue;
          }
        }
        if (text[i] == '$' && i + 1 < text.size() && (text[i + 1] == '(' || text[i + 1] == '{')) {
          i = CopyGroup(text, i, word);
          continue;
        }
        word += text[i++];
      }
      ++i;
    } else if (c == '`') {
      start_word(i);
      const size_t e = text.find('`', i + 1);
      const size_t stop = e == std::string_view::npos ? text.size() : e + 1;
      word.append(text.substr(i, stop - i));
      i = stop;
    } else if (c == '$' && i + 1 < text.size() && (text[i + 1] == '(' || text[i + 1] == '{')) {
      start_word(i);
      i = CopyGroup(text, i, word);
    } else if (c == '&' || c == '|' || c == ';') {
      // "2>&1", "&>file", ">|": part of a redirection word.
      if (c == '&' && ((in_word && !word.empty() && (word.back() == '>' || word.back() == '<')) ||
                       (i + 1 < text.size() && text[i + 1] == '>'))) {
        start_word(i);
        word += c;
        ++i;
        continue;
      }
      if (c == '|' && in_word && !word.empty() && word.back() == '>') {
        word += c;
        ++i;
        continue;
      }
      std::string op(1, c);
      if (i + 1 < text.size() && text[i + 1] == c && c != '|' ) op += c;        // && ;;
      else if (c == '|' && i + 1 < text.size() && text[i + 1] == '|') op = "||";
      else if (c == '|' && i + 1 < text.size() && text[i + 1] == '&') { i += 1; }  // |& -> |
      i += op.size();
      if (op == ";;") op = ";";
      end_command(op);
    } else if ((c == '(' || c == ')') && !in_word) {
      end_word();
      ++i;
    } else {
      start_word(i);
      word += c;
      ++i;
    }
  }
  end_command("");
  return out;
}

}  // namespace customs::misconfig::frontends
