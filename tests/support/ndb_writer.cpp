// rpm ndb Packages.db writer for the tests; see ndb_writer.h.
#include "support/ndb_writer.h"

#include <algorithm>
#include <stdexcept>

namespace customs_test {

uint32_t NdbAdler32(std::string_view data) {
  uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

void PutLe32(std::string& s, size_t off, uint32_t v) {
  if (s.size() < off + 4) s.resize(off + 4, '\0');
  for (int i = 0; i < 4; ++i) s[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint32_t GetLe32(const std::string& s, size_t off) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(s[off + i])) << (8 * i);
  return v;
}

NdbLayout WriteNdb(const std::vector<NdbEntry>& entries, uint32_t slot_pages, size_t first_slot,
                   size_t slot_step) {
  NdbLayout out;
  std::string& f = out.file;
  f.assign(static_cast<size_t>(slot_pages) * 4096, '\0');
  for (size_t off = 0; off < f.size(); off += 16) PutLe32(f, off, 0x746f6c53);  // "Slot", free
  PutLe32(f, 0, 0x506d7052);                                                    // "RpmP"
  PutLe32(f, 4, 0);
  PutLe32(f, 8, 7);  // generation
  PutLe32(f, 12, slot_pages);
  uint32_t next = 1;
  for (const auto& e : entries) next = std::max(next, e.pkgidx + 1);
  PutLe32(f, 16, next);
  PutLe32(f, 20, 0);
  PutLe32(f, 24, 0);
  PutLe32(f, 28, 0);
  out.slot_offsets.resize(entries.size());
  out.blob_offsets.resize(entries.size());
  for (size_t k = entries.size(); k-- > 0;) {
    const NdbEntry& e = entries[k];
    const size_t blkoff = f.size() / 16;
    std::string blob;
    PutLe32(blob, 0, 0x53626c42);  // "BlbS"
    PutLe32(blob, 4, e.pkgidx);
    PutLe32(blob, 8, 1700000000);  // timestamp
    PutLe32(blob, 12, static_cast<uint32_t>(e.blob.size()));
    blob += e.blob;
    while ((blob.size() + 12) % 16 != 0) blob += '\0';
    const uint32_t adler = NdbAdler32(blob);
    const size_t tail = blob.size();
    PutLe32(blob, tail, adler);
    PutLe32(blob, tail + 4, static_cast<uint32_t>(e.blob.size()));
    PutLe32(blob, tail + 8, 0x45626c42);  // "BlbE"
    out.blob_offsets[k] = f.size();
    f += blob;
    const size_t slot = (first_slot + k * slot_step) * 16;
    out.slot_offsets[k] = slot;
    PutLe32(f, slot + 4, e.pkgidx);
    PutLe32(f, slot + 8, static_cast<uint32_t>(blkoff));
    PutLe32(f, slot + 12, static_cast<uint32_t>(blob.size() / 16));
  }
  return out;
}

void FixNdbChecksum(std::string& f, size_t head) {
  const uint32_t len = GetLe32(f, head + 12);
  size_t size = 16 + len + 12;
  size = (size + 15) / 16 * 16;
  PutLe32(f, head + size - 12, NdbAdler32(std::string_view(f).substr(head, size - 12)));
}

std::vector<NdbEntry> ParseSqliteHeaderDump(std::string_view dump) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::vector<NdbEntry> out;
  size_t pos = 0;
  while (pos < dump.size()) {
    size_t nl = dump.find('\n', pos);
    std::string_view line = dump.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? dump.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const size_t bar = line.find('|');
    const std::string bad = "not a 'hnum|hex(blob)' line: " + std::string(line.substr(0, 80));
    if (bar == 0 || bar == std::string_view::npos || (line.size() - bar - 1) % 2 != 0)
      throw std::runtime_error(bad);
    uint64_t hnum = 0;
    for (char c : line.substr(0, bar)) {
      if (c < '0' || c > '9' || hnum > UINT32_MAX) throw std::runtime_error(bad);
      hnum = hnum * 10 + static_cast<uint64_t>(c - '0');
    }
    if (hnum == 0 || hnum > UINT32_MAX) throw std::runtime_error(bad);
    NdbEntry e{static_cast<uint32_t>(hnum), ""};
    e.blob.reserve((line.size() - bar - 1) / 2);
    for (size_t i = bar + 1; i + 1 < line.size(); i += 2) {
      const int hi = hex(line[i]), lo = hex(line[i + 1]);
      if (hi < 0 || lo < 0) throw std::runtime_error(bad);
      e.blob += static_cast<char>(hi << 4 | lo);
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace customs_test
