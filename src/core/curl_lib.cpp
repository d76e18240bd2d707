#include "core/curl_lib.h"

#include <dlfcn.h>

#include <string>

#include "core/error.h"

namespace customs::curl {

namespace {

template <typename F>
void Bind(void* lib, const char* name, F& fn) {
  void* sym = ::dlsym(lib, name);
  if (!sym) throw Error(kExitIo, std::string("libcurl.so.4 has no ") + name + " (libcurl 7.62 or later is needed)");
  fn = reinterpret_cast<F>(sym);
}

Api Load() {
  // RTLD_NODELETE: the library stays for the life of the process (its global state is process-wide).
  void* lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!lib) {
    const char* why = ::dlerror();
    throw Error(kExitIo, std::string("cannot load libcurl (needed for HTTP): ") + (why ? why : "libcurl.so.4") +
                                   "; install Debian's libcurl4 package");
  }
  Api api{};
  Bind(lib, "curl_easy_init", api.easy_init);
  Bind(lib, "curl_easy_setopt", api.easy_setopt);
  Bind(lib, "curl_easy_perform", api.easy_perform);
  Bind(lib, "curl_easy_getinfo", api.easy_getinfo);
  Bind(lib, "curl_easy_cleanup", api.easy_cleanup);
  Bind(lib, "curl_easy_reset", api.easy_reset);
  Bind(lib, "curl_easy_strerror", api.easy_strerror);
  Bind(lib, "curl_easy_escape", api.easy_escape);
  Bind(lib, "curl_free", api.free);
  Bind(lib, "curl_slist_append", api.slist_append);
  Bind(lib, "curl_slist_free_all", api.slist_free_all);
  Bind(lib, "curl_url", api.url);
  Bind(lib, "curl_url_cleanup", api.url_cleanup);
  Bind(lib, "curl_url_set", api.url_set);
  Bind(lib, "curl_url_get", api.url_get);
  CURLcode (*global_init)(long) = nullptr;
  Bind(lib, "curl_global_init", global_init);
  if (CURLcode rc = global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK)
    throw Error(kExitInternal, std::string("libcurl: global initialization failed: ") + api.easy_strerror(rc));
  return api;
}

}  // namespace

const Api& Lib() {
  // A function-local static: initialized once, thread-safe; a failed load throws and is retried.
  static const Api api = Load();
  return api;
}

}  // namespace customs::curl
