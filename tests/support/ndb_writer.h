// A writer of rpm's ndb package database (Packages.db, as SUSE ships it), written from rpm's
// description of the format (lib/backend/ndb/rpmpkg.c) independently of the reader in
// src/analyzers/rpm_ndb.cpp, with its own adler32. Used by the unit tests of that reader and by
// RpmRoot(..., RpmDbBackend::kNdb) on machines whose rpm cannot write ndb (Debian's).
//
// Layout: 32-byte file header ("RpmP", version 0, generation, slot page count, next package
// index), slot pages of 4096 bytes holding 16-byte slots ("Slot", pkgidx, block offset, block
// count; page 0's first two slots are the file header), then the blobs, each on 16-byte blocks:
// head ("BlbS", pkgidx, timestamp, length), header bytes, zero padding, tail (adler32 of everything
// before it, length, "BlbE").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace customs_test {

// RFC 1950's adler32, the plain way.
uint32_t NdbAdler32(std::string_view data);

// Little-endian 32-bit fields; PutLe32 grows `s` with zero bytes when needed.
void PutLe32(std::string& s, size_t off, uint32_t v);
uint32_t GetLe32(const std::string& s, size_t off);

struct NdbEntry {
  uint32_t pkgidx;
  std::string blob;  // an rpm header blob, as rpm stores it (the sqlite backend's Packages.blob)
};

struct NdbLayout {
  std::string file;
  std::vector<size_t> slot_offsets;  // per entry: file offset of its slot
  std::vector<size_t> blob_offsets;  // per entry: file offset of its blob head
};

// Writes `entries` into slots `first_slot`, `first_slot + slot_step`, ... (free slots between) and
// their blobs after the slot pages, in reverse order, so that blob order differs from slot order.
// The generation is 7, every blob's timestamp 1700000000.
NdbLayout WriteNdb(const std::vector<NdbEntry>& entries, uint32_t slot_pages = 1, size_t first_slot = 2,
                   size_t slot_step = 1);

// Recomputes the checksum of the blob whose head is at `head` (after a test changed bytes in it).
void FixNdbChecksum(std::string& file, size_t head);

// Parses `sqlite3 DB 'SELECT hnum, hex(blob) FROM Packages'` output ("HNUM|HEX" lines) into
// entries, the header numbers becoming the package indexes. Throws std::runtime_error on a line
// that is not of that form.
std::vector<NdbEntry> ParseSqliteHeaderDump(std::string_view dump);

}  // namespace customs_test
