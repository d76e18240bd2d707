// PCRE2 wrapper for matches() (see regex.h).
#include "misconfig/lang/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace customs::misconfig::lang {

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code)); }

std::shared_ptr<const Regex> CompileRegex(std::string_view pattern, std::string* error) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C, &code, &offset, nullptr);
  if (!c) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    *error = "invalid regular expression: " + std::string(reinterpret_cast<const char*>(buf)) + " at offset " +
             std::to_string(offset);
    return nullptr;
  }
  auto re = std::make_shared<Regex>();
  re->code = c;
  return re;
}

int RegexSearch(const Regex& re, std::string_view subject, std::string* error, size_t from, size_t* begin,
                size_t* end) {
  auto* code = static_cast<pcre2_code*>(re.code);
  struct Data {
    pcre2_match_data* md = nullptr;
    pcre2_match_context* mc = nullptr;
    Data() {
      md = pcre2_match_data_create(1, nullptr);
      mc = pcre2_match_context_create(nullptr);
      pcre2_set_match_limit(mc, 200000);
      pcre2_set_depth_limit(mc, 10000);
    }
    ~Data() { pcre2_match_data_free(md); pcre2_match_context_free(mc); }
  };
  thread_local Data data;
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), from, 0, data.md, data.mc);
  if (rc >= 0) {
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data.md);
    if (begin) *begin = ov[0];
    if (end) *end = ov[1] < ov[0] ? ov[0] : ov[1];  // \K can put the end before the start
    return 1;
  }
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(rc, buf, sizeof buf);
  *error = "matches(): " + std::string(reinterpret_cast<const char*>(buf));
  return -1;
}

}  // namespace customs::misconfig::lang
