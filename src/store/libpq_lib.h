// libpq, loaded the first time a PostgreSQL store is opened (dlopen) instead of when customs starts:
// linked, it brings Kerberos, LDAP, SASL and GnuTLS with it, about 5 MiB of resident memory and some
// milliseconds on every scan that never talks to PostgreSQL. As core/curl_lib.h does for libcurl;
// written by hand because no packaged library does this. The function types are libpq's own
// (libpq-fe.h), so a mismatch fails to compile.
#pragma once

#include <libpq-fe.h>

namespace customs::store::pq {

struct Api {
  decltype(&PQconnectdb) connectdb;
  decltype(&PQstatus) status;
  decltype(&PQerrorMessage) error_message;
  decltype(&PQfinish) finish;
  decltype(&PQexec) exec;
  decltype(&PQexecParams) exec_params;
  decltype(&PQresultStatus) result_status;
  decltype(&PQresultErrorMessage) result_error_message;
  decltype(&PQclear) clear;
  decltype(&PQntuples) ntuples;
  decltype(&PQnfields) nfields;
  decltype(&PQgetisnull) getisnull;
  decltype(&PQgetvalue) getvalue;
  decltype(&PQgetlength) getlength;
  decltype(&PQftype) ftype;
  decltype(&PQunescapeBytea) unescape_bytea;
  decltype(&PQfreemem) freemem;
};

// libpq.so.5, loaded once, thread-safe. Throws customs::Error (kExitIo) naming the library when it
// cannot be loaded.
const Api& Lib();

}  // namespace customs::store::pq
