// A hand-written reader of rpm's ndb package file (Packages.db, the database format of SUSE images).
// Debian's librpm 4.18 is built without the ndb backend, so the analyzer cannot open these files
// through librpm; this reader only pulls the header blobs out of the file, and librpm's
// headerImport() still does all parsing of the headers themselves.
//
// The file is untrusted image content: every offset, count and length is checked against the file,
// every blob against its magics, lengths and adler32 checksum. A damaged slot or blob is skipped and
// reported; only a file header that is not ndb's makes the whole file unreadable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace customs::rpm_ndb {

struct Blob {
  uint32_t pkgidx = 0;      // rpm's package index (the header number)
  std::string_view header;  // the header blob, a view into the file content
};

struct Contents {
  uint32_t generation = 0;
  std::vector<Blob> blobs;            // verified blobs, ordered by pkgidx
  std::vector<std::string> problems;  // damaged slots and blobs that were skipped
};

// Reads an ndb Packages.db. Returns false with `error` when the file header is not ndb's (or
// announces slot pages the file does not have); otherwise fills `out`, possibly with problems.
bool Read(std::string_view file, Contents& out, std::string& error);

}  // namespace customs::rpm_ndb
