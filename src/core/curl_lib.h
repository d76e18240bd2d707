// libcurl, loaded the first time something needs it (dlopen) instead of when customs starts.
//
// Only registry pulls and pushes and online database updates use HTTP, but a dynamically linked
// libcurl brings about twenty-five libraries with it (TLS, Kerberos, LDAP, SSH, IDN, ...), mapped
// and relocated on every start: about 4 MiB of resident memory and a few milliseconds for every
// scan of a local image or directory. Written by hand because no packaged library does this; the
// function types are libcurl's own (curl/curl.h), so a mismatch fails to compile.
#pragma once

#include <curl/curl.h>

namespace customs::curl {

struct Api {
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_cleanup)(CURL*);
  void (*easy_reset)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  char* (*easy_escape)(CURL*, const char*, int);
  void (*free)(void*);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
  CURLU* (*url)();
  void (*url_cleanup)(CURLU*);
  CURLUcode (*url_set)(CURLU*, CURLUPart, const char*, unsigned int);
  CURLUcode (*url_get)(const CURLU*, CURLUPart, char**, unsigned int);
};

// libcurl (libcurl.so.4), loaded and globally initialized once, thread-safe. Throws customs::Error
// (kExitIo) naming the library when it cannot be loaded.
const Api& Lib();

}  // namespace customs::curl
