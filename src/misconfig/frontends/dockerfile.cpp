// Dockerfile front end: Dockerfile text -> the tree docs/misconfig-model.md describes.
//
// Written by hand: no Debian-packaged library parses Dockerfiles (the reference parser is BuildKit's Go
// package). It follows the syntax the Dockerfile reference documents: parser directives (syntax,
// escape, check), the escape character and line continuations (comment and empty lines inside a
// continuation are dropped), heredocs on RUN/COPY/ADD, exec (JSON) vs shell form, --flags, multi-stage
// builds, and ARG/ENV substitution with BuildKit's scoping.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "formats/json.h"
#include "misconfig/frontends/frontends.h"
#include "misconfig/frontends/shell_words.h"

namespace customs::misconfig::frontends {
namespace {

constexpr size_t kMaxDockerfileBytes = 8u << 20;
constexpr size_t kMaxExpandedBytes = 1u << 20;  // bound on one substituted string
constexpr size_t kExpandBudget = 16u << 20;     // substituted text for the whole file
constexpr int kMaxExpandDepth = 16;             // nested ${a:-${b:-...}}

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

Value Str(std::string s, int line) { return Value::String(std::move(s), line); }

Value StrList(const std::vector<std::string>& v, int line) {
  Value l = Value::List(line);
  for (const auto& s : v) l.Push(Str(s, line));
  return l;
}

// ---------------------------------------------------------------------------------------------------
// Variables and substitution (BuildKit's shell lexer rules, simplified to what Dockerfiles use).

// name -> value; a declared ARG without value is present as std::nullopt (unset).
using Vars = std::map<std::string, std::optional<std::string>>;

struct Scope {
  const Vars* env = nullptr;   // ENV (wins)
  const Vars* args = nullptr;  // ARG
  const std::optional<std::string>* Get(const std::string& name) const {
    if (env != nullptr) {
      auto it = env->find(name);
      if (it != env->end()) return &it->second;
    }
    if (args != nullptr) {
      auto it = args->find(name);
      if (it != args->end()) return &it->second;
    }
    return nullptr;
  }
};

// BuildKit's automatic platform ARGs: their values depend on the build machine, so an undeclared
// reference stays as written ("$BUILDPLATFORM") instead of becoming "".
bool IsAutomatic(const std::string& name) {
  static const std::set<std::string> k = {"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
                                          "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT"};
  return k.count(name) != 0;
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

class Lexer {
 public:
  // budget: bytes of substituted text left for the whole file (shared by every Lexer of a parse);
  // once spent, text is returned as written (variables left unexpanded).
  Lexer(const Scope& scope, char escape, size_t* budget) : scope_(scope), escape_(escape), budget_(budget) {}

  // Substitutes variables; keep_quotes: quotes and escapes stay as written (the `expanded` text),
  // otherwise they are removed (a word's value, as Docker's ProcessWord).
  std::string Process(std::string_view text, bool keep_quotes, int depth = 0) {
    if (*budget_ < text.size()) return std::string(text);
    const size_t cap = std::min(kMaxExpandedBytes, *budget_);
    std::string out = Run(text, keep_quotes, depth, cap);
    if (depth == 0) *budget_ -= std::min(*budget_, out.size());
    return out;
  }

 private:
  std::string Run(std::string_view text, bool keep_quotes, int depth, size_t cap) {
    std::string out;
    size_t i = 0;
    while (i < text.size() && out.size() <= cap) {
      const char c = text[i];
      if (c == escape_) {
        if (keep_quotes) out += c;
        if (i + 1 < text.size()) out += text[i + 1];
        i += 2;
      } else if (c == '\'') {
        const size_t e = text.find('\'', i + 1);
        const size_t stop = e == std::string_view::npos ? text.size() : e;
        if (keep_quotes) out += '\'';
        out.append(text.substr(i + 1, stop - i - 1));
        if (keep_quotes && e != std::string_view::npos) out += '\'';
        i = stop + 1;
      } else if (c == '"') {
        if (keep_quotes) out += '"';
        ++i;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == escape_ && i + 1 < text.size()) {
            const char n = text[i + 1];
            if (n == '"' || n == '$' || n == escape_) {
              if (keep_quotes) out += text[i];
              out += n;
              i += 2;
              continue;
            }
          }
          if (text[i] == '$') {
            i = Dollar(text, i, out, depth);
            continue;
          }
          out += text[i++];
        }
        if (keep_quotes && i < text.size()) out += '"';
        ++i;
      } else if (c == '$') {
        i = Dollar(text, i, out, depth);
      } else {
        out += c;
        ++i;
      }
    }
    if (out.size() > cap) out.resize(cap);
    return out;
  }

  // text[i] == '$': appends the substitution, returns the index after it.
  size_t Dollar(std::string_view text, size_t i, std::string& out, int depth) {
    if (i + 1 >= text.size()) {
      out += '$';
      return i + 1;
    }
    if (text[i + 1] != '{') {
      size_t j = i + 1;
      while (j < text.size() && IsNameChar(text[j])) ++j;
      if (j == i + 1) {
        out += '$';
        return i + 1;
      }
      const std::string name(text.substr(i + 1, j - i - 1));
      const auto* v = scope_.Get(name);
      if (v != nullptr && v->has_value()) out += **v;
      else if (v == nullptr && IsAutomatic(name)) out.append(text.substr(i, j - i));
      return j;
    }
    // ${...}: find the matching brace.
    size_t j = i + 2;
    int nest = 1;
    for (; j < text.size(); ++j) {
      if (text[j] == escape_) { ++j; continue; }
      if (text[j] == '$' && j + 1 < text.size() && text[j + 1] == '{') { ++nest; ++j; continue; }
      if (text[j] == '}' && --nest == 0) break;
    }
    if (j >= text.size()) {  // unterminated: literal
      out.append(text.substr(i));
      return text.size();
    }
    const std::string_view inner = text.substr(i + 2, j - i - 2);
    size_t n = 0;
    while (n < inner.size() && IsNameChar(inner[n])) ++n;
    const std::string name(inner.substr(0, n));
    const auto* v = scope_.Get(name);
    const bool set = v != nullptr && v->has_value();
    const std::string value = set ? **v : std::string();
    std::string_view rest = inner.substr(n);
    auto word = [&](std::string_view w) {
      return depth >= kMaxExpandDepth ? std::string(w) : Process(w, false, depth + 1);
    };
    if (rest.empty()) {
      if (v == nullptr && IsAutomatic(name)) out.append(text.substr(i, j + 1 - i));
      else out += value;
    } else if (rest.size() >= 2 && rest[0] == ':' && (rest[1] == '-' || rest[1] == '+' || rest[1] == '?')) {
      const bool nonempty = set && !value.empty();
      if (rest[1] == '-') out += nonempty ? value : word(rest.substr(2));
      else if (rest[1] == '+') out += nonempty ? word(rest.substr(2)) : std::string();
      else out += value;  // :? -> Docker fails the build when unset; keep the (empty) value
    } else if (rest[0] == '-' || rest[0] == '+' || rest[0] == '?') {
      if (rest[0] == '-') out += set ? value : word(rest.substr(1));
      else if (rest[0] == '+') out += set ? word(rest.substr(1)) : std::string();
      else out += value;
    } else if (rest[0] == '#' || rest[0] == '%') {
      const bool longest = rest.size() >= 2 && rest[1] == rest[0];
      (void)longest;  // literal patterns: shortest == longest
      const std::string pat = word(rest.substr(longest ? 2 : 1));
      std::string r = value;
      if (rest[0] == '#' && r.compare(0, pat.size(), pat) == 0) r.erase(0, pat.size());
      if (rest[0] == '%' && r.size() >= pat.size() && r.compare(r.size() - pat.size(), pat.size(), pat) == 0)
        r.erase(r.size() - pat.size());
      out += r;
    } else {
      out += value;  // unsupported modifier: the plain value
    }
    return j + 1;
  }

  const Scope& scope_;
  char escape_;
  size_t* budget_;
};

// Words split on unquoted whitespace, quotes and escapes kept as written; pos: offset in text.
struct RawWord {
  std::string text;
  size_t pos = 0;
};

std::vector<RawWord> SplitRawWords(std::string_view text, char escape) {
  std::vector<RawWord> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size()) break;
    RawWord w;
    w.pos = i;
    while (i < text.size() && !IsSpace(text[i])) {
      const char c = text[i];
      if (c == escape && i + 1 < text.size()) {
        w.text.append(text.substr(i, 2));
        i += 2;
      } else if (c == '\'' || c == '"') {
        size_t j = i + 1;
        while (j < text.size() && text[j] != c) {
          if (c == '"' && text[j] == escape) ++j;
          ++j;
        }
        const size_t stop = std::min(j + 1, text.size());
        w.text.append(text.substr(i, stop - i));
        i = stop;
      } else {
        w.text += c;
        ++i;
      }
    }
    out.push_back(std::move(w));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Source lines and logical instructions.

struct SrcLine {
  std::string_view text;
  int no = 0;
};

struct Heredoc {
  std::string delimiter, content;
  int line = 0, end_line = 0;  // line: first body line (the line after the instruction); end: delimiter line
  bool strip_tabs = false, quoted = false;
};

struct Logical {
  std::string text;  // the instruction text, continuations joined (keyword included)
  LineMap lines;     // offsets in text -> source lines
  int line = 0, end_line = 0;
  std::string original;
  std::vector<Heredoc> heredocs;
};

// Heredoc words in the instruction text: "<<EOF", "<<-EOF", "<<'EOF'", "<<\"EOF\"", "2<<EOF".
struct HeredocMark {
  std::string delimiter;
  bool strip_tabs = false, quoted = false;
};

std::vector<HeredocMark> FindHeredocs(std::string_view text, char escape) {
  std::vector<HeredocMark> out;
  for (const RawWord& w : SplitRawWords(text, escape)) {
    std::string_view t = w.text;
    size_t d = 0;
    while (d < t.size() && std::isdigit(static_cast<unsigned char>(t[d])) != 0) ++d;
    if (t.compare(d, 2, "<<") != 0) continue;
    t.remove_prefix(d + 2);
    HeredocMark m;
    if (!t.empty() && t[0] == '-') {
      m.strip_tabs = true;
      t.remove_prefix(1);
    }
    if (t.empty() || t.find('<') != std::string_view::npos) continue;
    std::string delim;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '"' || t[i] == '\'') {
        m.quoted = true;
        continue;
      }
      if (t[i] == escape) {
        m.quoted = true;
        if (i + 1 < t.size()) delim += t[++i];
        continue;
      }
      delim += t[i];
    }
    if (delim.empty()) continue;
    m.delimiter = delim;
    out.push_back(std::move(m));
  }
  return out;
}

bool IsCommentLine(std::string_view l) {
  const std::string_view t = TrimView(l);
  return !t.empty() && t[0] == '#';
}

// Ends with the escape character (trailing whitespace allowed): returns the text without it.
bool Continues(std::string_view l, char escape, std::string_view& body) {
  std::string_view t = l;
  while (!t.empty() && IsSpace(t.back())) t.remove_suffix(1);
  if (t.empty() || t.back() != escape) return false;
  body = t.substr(0, t.size() - 1);
  return true;
}

// ---------------------------------------------------------------------------------------------------
// The parser.

const std::set<std::string> kKnown = {"from", "run", "cmd", "label", "maintainer", "expose", "env", "add",
                                      "copy", "entrypoint", "volume", "user", "workdir", "arg", "onbuild",
                                      "stopsignal", "healthcheck", "shell"};
const std::set<std::string> kFlagged = {"from", "run", "copy", "add", "healthcheck"};

struct StageState {
  std::string name;
  Vars env, args;
};

class Parser {
 public:
  Parser(std::string path, std::string_view content) : path_(std::move(path)), content_(content) {}

  ParseResult Run() {
    ParseResult res;
    if (content_.size() > kMaxDockerfileBytes) {
      res.problems.push_back({path_, 0, "Dockerfile larger than 8 MiB: not parsed"});
      return res;
    }
    SplitLines();
    root_ = Value::Map(1);
    Value directives = Value::Map(1);
    size_t i = Directives(directives);
    root_.Set("escape", Str(std::string(1, escape_), 0));
    root_.Set("directives", std::move(directives));
    root_.Set("args", Value::List(0));
    root_.Set("stages", Value::List(0));
    root_.Set("instructions", Value::List(0));

    while (i < lines_.size()) {
      const std::string_view t = TrimView(lines_[i].text);
      if (t.empty() || t[0] == '#') {
        ++i;
        continue;
      }
      Logical lg;
      i = Assemble(i, lg);
      Instruction(lg);
    }
    Finish();
    res.documents.push_back(Document{DocKind::kDockerfile, path_, 0, 1, std::move(root_)});
    res.problems = std::move(problems_);
    return res;
  }

 private:
  void Problem(int line, std::string msg) { problems_.push_back({path_, line, std::move(msg)}); }

  void SplitLines() {
    std::string_view c = content_;
    if (c.substr(0, 3) == "\xEF\xBB\xBF") c.remove_prefix(3);
    int no = 1;
    while (!c.empty()) {
      size_t nl = c.find('\n');
      std::string_view l = c.substr(0, nl);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      lines_.push_back({l, no++});
      if (nl == std::string_view::npos) break;
      c.remove_prefix(nl + 1);
    }
  }

  // Parser directives: "# name=value" lines at the very top. Returns the first line index after them.
  size_t Directives(Value& out) {
    size_t i = 0;
    for (; i < lines_.size(); ++i) {
      std::string_view t = TrimView(lines_[i].text);
      if (t.empty() || t[0] != '#') break;
      t.remove_prefix(1);
      t = TrimView(t);
      const size_t eq = t.find('=');
      if (eq == std::string_view::npos) break;
      const std::string_view name = TrimView(t.substr(0, eq));
      const std::string_view value = TrimView(t.substr(eq + 1));
      bool ok = !name.empty() && std::isalpha(static_cast<unsigned char>(name[0])) != 0;
      for (char ch : name) ok = ok && std::isalnum(static_cast<unsigned char>(ch)) != 0;
      if (!ok) break;
      const std::string key = Lower(name);
      if (key != "syntax" && key != "escape" && key != "check") break;  // unknown: a comment
      if (out.Find(key) != nullptr) {
        Problem(lines_[i].no, "parser directive '" + key + "' given twice");
        continue;
      }
      if (key == "escape") {
        if (value == "\\" || value == "`") escape_ = value[0];
        else Problem(lines_[i].no, "invalid escape directive '" + std::string(value) + "': must be ` or \\");
      }
      Value v = Str(std::string(value), lines_[i].no);
      v.column = 1;
      out.Set(key, std::move(v));
    }
    return i;
  }

  // Joins lines[i..] into one logical instruction (plus heredoc bodies); returns the next line index.
  size_t Assemble(size_t i, Logical& lg) {
    lg.line = lines_[i].no;
    const size_t first = i;
    while (i < lines_.size()) {
      std::string_view l = lines_[i].text;
      if (i != first && (TrimView(l).empty() || IsCommentLine(l))) {
        ++i;  // empty and comment lines inside a continuation are dropped
        continue;
      }
      std::string_view body;
      const bool more = Continues(l, escape_, body);
      lg.lines.emplace_back(lg.text.size(), lines_[i].no);
      lg.text.append(more ? body : l);
      lg.end_line = lines_[i].no;
      ++i;
      if (!more) break;
    }
    // Heredocs (RUN/COPY/ADD, shell form).
    const std::string_view t = TrimView(lg.text);
    size_t k = 0;
    while (k < t.size() && !IsSpace(t[k])) ++k;
    const std::string kw = Lower(t.substr(0, k));
    std::string_view rest = TrimView(t.substr(k));
    if ((kw == "run" || kw == "copy" || kw == "add") && !(rest.size() > 0 && rest[0] == '[')) {
      for (const HeredocMark& m : FindHeredocs(rest, escape_)) {
        Heredoc h;
        h.delimiter = m.delimiter;
        h.strip_tabs = m.strip_tabs;
        h.quoted = m.quoted;
        h.line = i < lines_.size() ? lines_[i].no : lg.end_line + 1;
        bool closed = false;
        while (i < lines_.size()) {
          std::string_view l = lines_[i].text;
          std::string_view cmp = l;
          if (m.strip_tabs) while (!cmp.empty() && cmp[0] == '\t') cmp.remove_prefix(1);
          lg.end_line = lines_[i].no;
          ++i;
          if (cmp == m.delimiter) {
            closed = true;
            break;
          }
          h.content.append(m.strip_tabs ? cmp : l);
          h.content += '\n';
        }
        h.end_line = lg.end_line;
        if (!closed) Problem(lg.line, "unterminated heredoc <<" + m.delimiter);
        lg.heredocs.push_back(std::move(h));
      }
    }
    for (size_t j = first; j < i; ++j) {
      if (j != first) lg.original += '\n';
      lg.original.append(lines_[j].text);
    }
    return i;
  }

  Scope CurrentScope() const {
    Scope s;
    if (stage_ < 0) {
      s.args = &global_;
    } else {
      s.env = &state_.env;
      s.args = &state_.args;
    }
    return s;
  }

  void Instruction(Logical& lg) {
    size_t p = 0;
    const std::string& t = lg.text;
    while (p < t.size() && IsSpace(t[p])) ++p;
    size_t k = p;
    while (k < t.size() && !IsSpace(t[k])) ++k;
    const std::string cmd = Lower(std::string_view(t).substr(p, k - p));
    Value ins = Build(cmd, lg, k, /*nested=*/false);
    Append(std::move(ins));
  }

  // Builds the instruction map for keyword `cmd` whose arguments start at lg.text[from].
  Value Build(const std::string& cmd, const Logical& lg, size_t from, bool nested) {
    Value ins = Value::Map(lg.line);
    ins.end_line = lg.end_line;
    ins.column = 1;
    const std::string& t = lg.text;
    if (kKnown.count(cmd) == 0) Problem(lg.line, "unknown instruction '" + cmd + "'");
    ins.Set("cmd", Str(cmd, lg.line));
    ins.Set("stage", Value::Int(cmd == "from" && !nested ? stage_ + 1 : stage_, lg.line));
    ins.Set("line", Value::Int(lg.line, lg.line));
    ins.Set("end_line", Value::Int(lg.end_line, lg.line));
    ins.Set("original", Str(lg.original, lg.line));

    // Flags.
    size_t p = from;
    Value flags = Value::Map(lg.line);
    Value flag_list = Value::List(lg.line);
    std::vector<std::pair<std::string, std::string>> flag_pairs;
    if (kFlagged.count(cmd) != 0) {
      while (true) {
        while (p < t.size() && IsSpace(t[p])) ++p;
        if (t.compare(p, 2, "--") != 0) break;
        size_t e = p;
        char quote = 0;
        while (e < t.size() && (quote != 0 || !IsSpace(t[e]))) {
          if (quote == 0 && (t[e] == '"' || t[e] == '\'')) quote = t[e];
          else if (quote != 0 && t[e] == quote) quote = 0;
          ++e;
        }
        const std::string word = t.substr(p + 2, e - p - 2);
        const int fline = LineAt(lg.lines, p);
        p = e;
        if (word.empty()) break;
        const size_t eq = word.find('=');
        std::string name = Lower(word.substr(0, eq));
        std::string value = eq == std::string::npos ? "true" : Unquote(word.substr(eq + 1));
        Value f = Value::Map(fline);
        f.Set("name", Str(name, fline));
        f.Set("value", Str(value, fline));
        flag_list.Push(std::move(f));
        flags.Set(name, Str(value, fline));
        flag_pairs.emplace_back(std::move(name), std::move(value));
      }
    }
    while (p < t.size() && IsSpace(t[p])) ++p;
    ins.Set("flags", std::move(flags));
    ins.Set("flag_list", std::move(flag_list));

    // The value and its line map.
    std::string value = t.substr(std::min(p, t.size()));
    while (!value.empty() && IsSpace(value.back())) value.pop_back();
    LineMap vlines;
    for (const auto& [off, l] : lg.lines) {
      if (off <= p) vlines.assign(1, {0, l});
      else vlines.emplace_back(off - p, l);
    }
    if (vlines.empty()) vlines.emplace_back(0, lg.line);

    // ONBUILD: the trigger is an instruction of its own.
    if (cmd == "onbuild") {
      size_t k = p;
      while (k < t.size() && !IsSpace(t[k])) ++k;
      const std::string inner = Lower(std::string_view(t).substr(p, k - p));
      ins.Set("json", Value::Bool(false, lg.line));
      ins.Set("args", WordsValue(value, lg.line));
      ins.Set("value", Str(value, lg.line));
      ins.Set("expanded", Str(value, lg.line));
      ins.Set("heredocs", Value::List(lg.line));
      if (inner.empty()) {
        Problem(lg.line, "ONBUILD without an instruction");
      } else if (inner == "onbuild" || inner == "from" || inner == "maintainer") {
        Problem(lg.line, "ONBUILD " + inner + " is not allowed");
      } else {
        ins.Set("trigger", Build(inner, lg, k, /*nested=*/true));
      }
      return ins;
    }

    // JSON (exec) form.
    bool json = false;
    std::vector<std::string> args;
    if (!value.empty() && value[0] == '[' && cmd != "env" && cmd != "label" && cmd != "arg") {
      try {
        const auto j = ParseJsonOrDiscarded(value, path_);
        if (j.is_array()) {
          bool all = true;
          for (const auto& e : j) all = all && e.is_string();
          if (all) {
            json = true;
            for (const auto& e : j) args.push_back(e.get<std::string>());
          }
        }
      } catch (const nlohmann::json::exception&) {
      } catch (const LimitError&) {
        // Nested past the JSON limits: no exec form (an argument list is flat), read as shell words.
      }
    }
    if (!json)
      for (const RawWord& w : SplitRawWords(value, escape_)) args.push_back(w.text);

    const Scope scope = cmd == "from" ? Scope{nullptr, &global_} : CurrentScope();
    Lexer lex(scope, escape_, &expand_budget_);
    const std::string expanded = json ? value : lex.Process(value, true);

    ins.Set("json", Value::Bool(json, lg.line));
    ins.Set("args", StrList(args, lg.line));
    ins.Set("value", Str(value, lg.line));
    ins.Set("expanded", Str(expanded, lg.line));
    Value hd = Value::List(lg.line);
    for (const Heredoc& h : lg.heredocs) {
      Value m = Value::Map(h.line);
      m.end_line = h.end_line;
      m.Set("delimiter", Str(h.delimiter, h.line));
      m.Set("content", Str(h.content, h.line));
      m.Set("line", Value::Int(h.line, h.line));
      m.Set("end_line", Value::Int(h.end_line, h.line));
      m.Set("strip_tabs", Value::Bool(h.strip_tabs, h.line));
      m.Set("quoted", Value::Bool(h.quoted, h.line));
      hd.Push(std::move(m));
    }
    ins.Set("heredocs", std::move(hd));

    if (cmd == "from") {
      FromInstruction(ins, value, lg, flag_pairs, nested);
    } else if (cmd == "run") {
      Value mounts = Value::List(lg.line);
      std::string network, security;
      for (const auto& [n, v] : flag_pairs) {
        if (n == "mount") mounts.Push(Mount(v, lg.line));
        if (n == "network") network = v;
        if (n == "security") security = v;
      }
      ins.Set("mounts", std::move(mounts));
      ins.Set("network", Str(network, lg.line));
      ins.Set("security", Str(security, lg.line));
      ins.Set("commands", Commands(json, args, value, vlines, lg, true));
    } else if (cmd == "cmd" || cmd == "entrypoint") {
      ins.Set("commands", Commands(json, args, value, vlines, lg, false));
    } else if (cmd == "env" || cmd == "label") {
      ins.Set("pairs", Pairs(cmd, value, vlines, lex, nested));
    } else if (cmd == "arg") {
      ins.Set("pairs", ArgPairs(value, vlines, lex, nested));
    } else if (cmd == "copy" || cmd == "add") {
      std::vector<std::string> words;
      if (json) words = args;
      else
        for (const RawWord& w : SplitRawWords(value, escape_)) words.push_back(lex.Process(w.text, false));
      std::string dest;
      if (!words.empty()) {
        dest = words.back();
        words.pop_back();
      }
      ins.Set("sources", StrList(words, lg.line));
      ins.Set("dest", Str(dest, lg.line));
      std::string from_flag, chown, chmod;
      bool link = false;
      for (const auto& [n, v] : flag_pairs) {
        if (n == "from") from_flag = v;
        if (n == "chown") chown = v;
        if (n == "chmod") chmod = v;
        if (n == "link") link = v != "false";
      }
      from_flag = lex.Process(from_flag, false);
      ins.Set("from", Str(from_flag, lg.line));
      ins.Set("from_stage", Value::Int(StageRef(from_flag, true), lg.line));
      ins.Set("chown", Str(lex.Process(chown, false), lg.line));
      ins.Set("chmod", Str(lex.Process(chmod, false), lg.line));
      ins.Set("link", Value::Bool(link, lg.line));
    } else if (cmd == "user") {
      const std::string u(TrimView(lex.Process(value, false)));
      const size_t colon = u.find(':');
      ins.Set("user", Str(u.substr(0, colon), lg.line));
      ins.Set("group", Str(colon == std::string::npos ? "" : u.substr(colon + 1), lg.line));
      if (!nested && stage_ >= 0) last_user_ = u.substr(0, colon);
    } else if (cmd == "expose") {
      Value ports = Value::List(lg.line);
      for (const RawWord& w : SplitRawWords(value, escape_)) {
        const std::string raw = lex.Process(w.text, false);
        for (const std::string& one : SplitOn(raw, ' ')) ports.Push(Port(one, LineAt(vlines, w.pos)));
      }
      ins.Set("ports", std::move(ports));
    } else if (cmd == "workdir") {
      ins.Set("path", Str(std::string(TrimView(lex.Process(value, false))), lg.line));
    } else if (cmd == "healthcheck") {
      Healthcheck(ins, value, lg);
    }
    return ins;
  }

  static std::vector<std::string> SplitOn(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t b = 0;
    while (b <= s.size()) {
      size_t e = s.find(sep, b);
      if (e == std::string::npos) e = s.size();
      if (e > b) out.push_back(s.substr(b, e - b));
      b = e + 1;
    }
    return out;
  }

  static std::string Unquote(std::string s) {
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
      return s.substr(1, s.size() - 2);
    return s;
  }

  Value WordsValue(const std::string& value, int line) const {
    std::vector<std::string> w;
    for (const RawWord& r : SplitRawWords(value, escape_)) w.push_back(r.text);
    return StrList(w, line);
  }

  static Value Mount(const std::string& spec, int line) {
    Value m = Value::Map(line);
    m.Set("type", Str("bind", line));
    for (const std::string& part : SplitOn(spec, ',')) {
      const size_t eq = part.find('=');
      std::string k = Lower(part.substr(0, eq));
      std::string v = eq == std::string::npos ? "true" : Unquote(part.substr(eq + 1));
      if (k == "dst" || k == "destination") k = "target";
      if (k == "src") k = "source";
      m.Set(std::move(k), Str(std::move(v), line));
    }
    for (const char* k : {"target", "source", "from", "id"})
      if (m.Find(k) == nullptr) m.Set(k, Str("", line));
    return m;
  }

  static Value Port(const std::string& raw, int line) {
    Value p = Value::Map(line);
    std::string num = raw, proto = "tcp";
    const size_t slash = raw.find('/');
    if (slash != std::string::npos) {
      num = raw.substr(0, slash);
      proto = Lower(raw.substr(slash + 1));
    }
    auto to_int = [](const std::string& s) -> int64_t {
      if (s.empty() || s.size() > 9) return 0;
      int64_t v = 0;
      for (char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) return 0;
        v = v * 10 + (c - '0');
      }
      return v;
    };
    const size_t dash = num.find('-');
    const int64_t a = to_int(num.substr(0, dash));
    const int64_t b = dash == std::string::npos ? a : to_int(num.substr(dash + 1));
    p.Set("raw", Str(raw, line));
    p.Set("port", Value::Int(a, line));
    p.Set("end_port", Value::Int(b, line));
    p.Set("protocol", Str(proto, line));
    return p;
  }

  Value Commands(bool json, const std::vector<std::string>& args, const std::string& value, const LineMap& vlines,
                 const Logical& lg, bool heredoc_scripts) {
    Value out = Value::List(lg.line);
    auto push = [&](const ShellCommand& c) {
      Value m = Value::Map(c.line);
      m.Set("argv", StrList(c.argv, c.line));
      m.Set("line", Value::Int(c.line, c.line));
      m.Set("after", Str(c.after, c.line));
      m.Set("pipes_to_next", Value::Bool(c.pipes_to_next, c.line));
      out.Push(std::move(m));
    };
    if (json) {
      ShellCommand c;
      c.argv = args;
      c.line = lg.line;
      push(c);
      return out;
    }
    std::vector<ShellCommand> cmds = SplitShellCommands(value, vlines);
    // "RUN <<EOF": the marker alone is not a command.
    auto marker = [](const std::string& w) {
      size_t d = 0;
      while (d < w.size() && std::isdigit(static_cast<unsigned char>(w[d])) != 0) ++d;
      return w.compare(d, 2, "<<") == 0;
    };
    if (!lg.heredocs.empty() && !cmds.empty() && std::all_of(cmds.front().argv.begin(), cmds.front().argv.end(), marker)) {
      cmds.erase(cmds.begin());
      if (!cmds.empty()) cmds.front().after.clear();
    }
    for (const ShellCommand& c : cmds) push(c);
    if (!heredoc_scripts || lg.heredocs.empty()) return out;
    // RUN <<EOF (the body is the script) or RUN sh <<EOF: the body's commands follow.
    bool script = cmds.empty();
    if (!cmds.empty()) {
      const auto& a = cmds.front().argv;
      const std::string a0 = a.empty() ? "" : a[0].substr(a[0].rfind('/') == std::string::npos ? 0 : a[0].rfind('/') + 1);
      const bool shell = a0 == "sh" || a0 == "bash" || a0 == "ash" || a0 == "dash";
      script = (!a.empty() && a[0].find("<<") != std::string::npos) ||
               (shell && std::find(a.begin(), a.end(), "-c") == a.end());
    }
    if (!script) return out;
    for (const Heredoc& h : lg.heredocs) {
      if (h.content.rfind("#!", 0) == 0) {
        const std::string first = h.content.substr(0, h.content.find('\n'));
        if (first.find("sh") == std::string::npos) continue;  // #!/usr/bin/env python3 ...
      }
      const LineMap hl = LinesOf(h.content, h.line);
      for (ShellCommand c : SplitShellCommands(h.content, hl)) {
        if (c.after.empty()) c.after = "\n";
        push(c);
      }
    }
    return out;
  }

  static LineMap LinesOf(const std::string& text, int first_line) {
    LineMap m;
    m.emplace_back(0, first_line);
    int l = first_line;
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') m.emplace_back(i + 1, ++l);
    return m;
  }

  Value Pairs(const std::string& cmd, const std::string& value, const LineMap& vlines, Lexer& lex, bool nested) {
    Value out = Value::List(vlines.front().second);
    const std::vector<RawWord> words = SplitRawWords(value, escape_);
    if (words.empty()) return out;
    auto add = [&](std::string key, const std::string& raw, int line) -> std::string {
      Value m = Value::Map(line);
      const std::string v = lex.Process(raw, false);
      m.Set("key", Str(key, line));
      m.Set("value", Str(v, line));
      m.Set("raw", Str(raw, line));
      m.Set("line", Value::Int(line, line));
      out.Push(std::move(m));
      return v;
    };
    std::vector<std::pair<std::string, std::string>> sets;
    if (words[0].text.find('=') == std::string::npos) {
      // Legacy "ENV key value words": the rest of the line is the value.
      const std::string key = lex.Process(words[0].text, false);
      std::string raw = words.size() > 1 ? std::string(TrimView(value.substr(words[1].pos))) : std::string();
      const std::string v = add(key, raw, LineAt(vlines, words[0].pos));
      sets.emplace_back(key, v);
    } else {
      for (const RawWord& w : words) {
        const size_t eq = w.text.find('=');
        if (eq == std::string::npos) {
          Problem(LineAt(vlines, w.pos), cmd + ": '" + w.text + "' is not key=value");
          continue;
        }
        const std::string key = lex.Process(w.text.substr(0, eq), false);
        const std::string v = add(key, w.text.substr(eq + 1), LineAt(vlines, w.pos));
        sets.emplace_back(key, v);
      }
    }
    if (cmd == "env" && !nested) {
      Vars& target = stage_ < 0 ? global_ : state_.env;
      for (auto& [k, v] : sets) target[k] = v;  // applied after the whole line was substituted
    }
    return out;
  }

  Value ArgPairs(const std::string& value, const LineMap& vlines, Lexer& lex, bool nested) {
    Value out = Value::List(vlines.front().second);
    for (const RawWord& w : SplitRawWords(value, escape_)) {
      const int line = LineAt(vlines, w.pos);
      const size_t eq = w.text.find('=');
      const std::string key = w.text.substr(0, eq);
      const bool has = eq != std::string::npos;
      const std::string raw = has ? w.text.substr(eq + 1) : "";
      std::optional<std::string> v;
      if (has) v = lex.Process(raw, false);
      if (!nested) {
        if (stage_ < 0) {
          global_[key] = v;
        } else {
          if (!has) {
            auto g = global_.find(key);
            if (g != global_.end()) v = g->second;
          }
          state_.args[key] = v;
        }
      }
      Value m = Value::Map(line);
      m.Set("key", Str(key, line));
      m.Set("value", Str(v.value_or(""), line));
      m.Set("raw", Str(raw, line));
      m.Set("line", Value::Int(line, line));
      m.Set("has_value", Value::Bool(has, line));
      out.Push(std::move(m));
    }
    return out;
  }

  // Index of the earlier stage `ref` names (by name; by number too when allow_index), or -1.
  int StageRef(const std::string& ref, bool allow_index) const {
    if (ref.empty()) return -1;
    const std::string l = Lower(ref);
    for (size_t s = 0; s < stage_names_.size(); ++s)
      if (!stage_names_[s].empty() && stage_names_[s] == l && static_cast<int>(s) < stage_ + (allow_index ? 1 : 1))
        return static_cast<int>(s);
    if (allow_index && ref.size() < 6 &&
        std::all_of(ref.begin(), ref.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
      const int n = std::stoi(ref);
      if (n < static_cast<int>(stage_names_.size())) return n;
    }
    return -1;
  }

  void FromInstruction(Value& ins, const std::string& value, const Logical& lg,
                       const std::vector<std::pair<std::string, std::string>>& flags, bool nested) {
    const Scope gs{nullptr, &global_};
    Lexer glex(gs, escape_, &expand_budget_);
    const std::vector<RawWord> words = SplitRawWords(value, escape_);
    std::string raw = words.empty() ? "" : words[0].text;
    std::string name;
    if (words.size() >= 3 && Lower(words[1].text) == "as") name = Lower(words[2].text);
    else if (words.size() > 1) Problem(lg.line, "FROM: unexpected words after the image");
    if (words.empty()) Problem(lg.line, "FROM without an image");
    const std::string ref = glex.Process(raw, false);
    std::string platform;
    for (const auto& [n, v] : flags)
      if (n == "platform") platform = glex.Process(v, false);

    std::string image = ref, tag, digest;
    const size_t at = image.find('@');
    if (at != std::string::npos) {
      digest = image.substr(at + 1);
      image.resize(at);
    }
    const size_t colon = image.rfind(':');
    if (colon != std::string::npos && image.find('/', colon) == std::string::npos) {
      tag = image.substr(colon + 1);
      image.resize(colon);
    }
    ins.Set("image", Str(ref, lg.line));
    ins.Set("name", Str(name, lg.line));
    ins.Set("platform", Str(platform, lg.line));
    if (nested) return;

    // A new stage begins.
    CloseStage();
    const int stage_ref = StageRef(ref, false);
    ++stage_;
    StageState next;
    next.name = name;
    if (stage_ref >= 0) next.env = stage_env_[static_cast<size_t>(stage_ref)];
    state_ = std::move(next);
    last_user_.clear();
    for (size_t s = 0; s < stage_names_.size(); ++s)
      if (!name.empty() && stage_names_[s] == name) Problem(lg.line, "duplicate stage name '" + name + "'");
    stage_names_.push_back(name);

    Value st = Value::Map(lg.line);
    st.end_line = lg.end_line;
    st.column = 1;
    st.Set("index", Value::Int(stage_, lg.line));
    st.Set("name", Str(name, lg.line));
    st.Set("line", Value::Int(lg.line, lg.line));
    st.Set("end_line", Value::Int(lg.end_line, lg.line));
    Value base = Value::Map(lg.line);
    base.Set("raw", Str(raw, lg.line));
    base.Set("ref", Str(ref, lg.line));
    base.Set("image", Str(image, lg.line));
    base.Set("tag", Str(tag, lg.line));
    base.Set("digest", Str(digest, lg.line));
    base.Set("platform", Str(platform, lg.line));
    base.Set("scratch", Value::Bool(Lower(ref) == "scratch", lg.line));
    base.Set("stage_ref", Value::Int(stage_ref, lg.line));
    st.Set("base", std::move(base));
    st.Set("user", Str("", lg.line));
    st.Set("instructions", Value::List(lg.line));
    stage_open_ = true;
    pending_stage_ = std::move(st);
  }

  void Healthcheck(Value& ins, const std::string& value, const Logical& lg) {
    std::string_view v = TrimView(value);
    size_t k = 0;
    while (k < v.size() && !IsSpace(v[k])) ++k;
    const std::string first = Lower(v.substr(0, k));
    ins.Set("none", Value::Bool(first == "none", lg.line));
    if (first == "none") return;
    if (first != "cmd") {
      Problem(lg.line, "HEALTHCHECK: expected CMD or NONE");
      return;
    }
    const std::string rest(TrimView(v.substr(k)));
    Value test = Value::Map(lg.line);
    bool json = false;
    std::vector<std::string> args;
    if (!rest.empty() && rest[0] == '[') {
      try {
        const auto j = ParseJsonOrDiscarded(rest, path_);
        if (j.is_array() && std::all_of(j.begin(), j.end(), [](const auto& e) { return e.is_string(); })) {
          json = true;
          for (const auto& e : j) args.push_back(e.template get<std::string>());
        }
      } catch (const nlohmann::json::exception&) {
      } catch (const LimitError&) {
      }
    }
    if (!json)
      for (const RawWord& w : SplitRawWords(rest, escape_)) args.push_back(w.text);
    test.Set("json", Value::Bool(json, lg.line));
    test.Set("args", StrList(args, lg.line));
    test.Set("value", Str(rest, lg.line));
    ins.Set("test", std::move(test));
  }

  void Append(Value ins) {
    const std::string cmd = ins.Find("cmd")->s;
    if (stage_ < 0 && cmd != "arg" && cmd != "from") Problem(ins.line, "instruction " + cmd + " before the first FROM");
    if (stage_ < 0 && cmd == "arg") {
      const Value* pairs = ins.Find("pairs");
      Value& args = *const_cast<Value*>(root_.Find("args"));
      if (pairs != nullptr)
        for (const Value& p : pairs->items) args.Push(p);
    }
    Value& all = *const_cast<Value*>(root_.Find("instructions"));
    all.Push(ins);
    if (stage_open_) {
      Value& list = *const_cast<Value*>(pending_stage_.Find("instructions"));
      pending_stage_.end_line = std::max(pending_stage_.end_line, ins.end_line);
      list.Push(std::move(ins));
    }
  }

  void CloseStage() {
    if (!stage_open_) return;
    stage_env_.push_back(state_.env);
    pending_stage_.Set("user", Str(last_user_, pending_stage_.line));
    pending_stage_.Set("end_line", Value::Int(pending_stage_.end_line, pending_stage_.line));
    Value& stages = *const_cast<Value*>(root_.Find("stages"));
    stages.Push(std::move(pending_stage_));
    pending_stage_ = Value();
    stage_open_ = false;
  }

  void Finish() {
    CloseStage();
    root_.Set("final_stage", Value::Int(stage_, 0));
    int last = 1;
    for (const Value& i : root_.Find("instructions")->items) last = std::max(last, i.end_line);
    root_.end_line = last;
    if (stage_ < 0 && !root_.Find("instructions")->items.empty()) Problem(1, "no FROM instruction");
  }

  std::string path_;
  std::string_view content_;
  std::vector<SrcLine> lines_;
  std::vector<ParseProblem> problems_;
  char escape_ = '\\';
  size_t expand_budget_ = kExpandBudget;
  Value root_;
  Vars global_;              // global ARGs (before the first FROM)
  int stage_ = -1;
  StageState state_;
  std::vector<std::string> stage_names_;
  std::vector<Vars> stage_env_;  // ENV at the end of each closed stage
  std::string last_user_;
  bool stage_open_ = false;
  Value pending_stage_;
};

}  // namespace

ParseResult ParseDockerfile(const std::string& path, std::string_view content) {
  return Parser(path, content).Run();
}

}  // namespace customs::misconfig::frontends
