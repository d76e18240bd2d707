// `customs server` (#15, first part): the REST API over the scan store. docs/server.md is the user's
// description (endpoints, tokens, errors); keep the two in step.
//
//   GET  /healthz                          200 while the process serves
//   GET  /readyz                           200 when the store answers, 503 otherwise
//   POST /api/v1/sboms                     (write) a CycloneDX/SPDX SBOM: matched against the database,
//                                          recorded; answers the image digest, its findings count and
//                                          the events the evaluation produced
//   POST /api/v1/rescan                    (write) every stored SBOM re-matched against the database
//   GET  /api/v1/images                    (read) images with refs and open-finding counts
//   GET  /api/v1/images/{digest}/findings  (read) open findings (?all=1: closed ones too)
//   GET  /api/v1/events?after=N&limit=M    (read) the event history, oldest first
//
// Every /api/v1 request carries `Authorization: Bearer <token>` (`customs server token create`):
// none or unknown 401, a read token on a write endpoint 403. Bad bodies are 400 with the reason; the
// store failing is 503; the server keeps serving.
#pragma once

#include <csignal>
#include <string>

namespace customs::server {

struct Options {
  std::string listen = "127.0.0.1:8080";
  std::string store;    // store URL (store::Store::Open); "" = the default SQLite file
  std::string db_path;  // vulnerability database ("" = the default)
  std::string tls_cert, tls_key;
  const volatile std::sig_atomic_t* stop = nullptr;  // set by a signal handler: the server stops
};

// The default store: $XDG_DATA_HOME/customs/store.db (~/.local/share/customs/store.db).
std::string DefaultStorePath();

// Serves until `stop` is set; prints "listening on http(s)://HOST:PORT" on stderr once bound.
int Run(const Options& opts);

}  // namespace customs::server
