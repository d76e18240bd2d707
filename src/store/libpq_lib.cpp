#include "store/libpq_lib.h"

#include <dlfcn.h>

#include <string>

#include "core/error.h"

namespace customs::store::pq {

namespace {

template <typename F>
void Bind(void* lib, const char* name, F& fn) {
  void* sym = ::dlsym(lib, name);
  if (!sym) throw Error(kExitIo, std::string("libpq.so.5 has no ") + name);
  fn = reinterpret_cast<F>(sym);
}

Api Load() {
  void* lib = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!lib) {
    const char* why = ::dlerror();
    throw Error(kExitIo, std::string("cannot load libpq (needed for a PostgreSQL store): ") + (why ? why : "libpq.so.5") +
                             "; install Debian's libpq5 package");
  }
  Api a{};
  Bind(lib, "PQconnectdb", a.connectdb);
  Bind(lib, "PQstatus", a.status);
  Bind(lib, "PQerrorMessage", a.error_message);
  Bind(lib, "PQfinish", a.finish);
  Bind(lib, "PQexec", a.exec);
  Bind(lib, "PQexecParams", a.exec_params);
  Bind(lib, "PQresultStatus", a.result_status);
  Bind(lib, "PQresultErrorMessage", a.result_error_message);
  Bind(lib, "PQclear", a.clear);
  Bind(lib, "PQntuples", a.ntuples);
  Bind(lib, "PQnfields", a.nfields);
  Bind(lib, "PQgetisnull", a.getisnull);
  Bind(lib, "PQgetvalue", a.getvalue);
  Bind(lib, "PQgetlength", a.getlength);
  Bind(lib, "PQftype", a.ftype);
  Bind(lib, "PQunescapeBytea", a.unescape_bytea);
  Bind(lib, "PQfreemem", a.freemem);
  return a;
}

}  // namespace

const Api& Lib() {
  static const Api api = Load();
  return api;
}

}  // namespace customs::store::pq
