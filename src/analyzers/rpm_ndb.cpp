// Reader of rpm's ndb Packages.db, written here because Debian's librpm lacks the ndb backend.
// Written from the format as rpm describes it (lib/backend/ndb/rpmpkg.c); no rpm code is used.
//
// The format. All numbers are 32-bit little endian. The file is a sequence of 16-byte blocks.
//   File header (32 bytes at offset 0): magic "RpmP", version (0), generation, number of slot
//     pages, next package index.
//   Slot pages: the first `slot page count` pages of 4096 bytes. They are arrays of 16-byte slots;
//     in page 0 the first two slots' room holds the file header. A slot is: magic "Slot", package
//     index, block offset, block count. Block offset 0 marks a free slot; a used one points past
//     the slot pages (offset >= pages * 256 blocks), to `block count` blocks inside the file.
//   Blob (at block offset * 16, block count * 16 bytes long):
//     head (16 bytes): magic "BlbS", package index (the slot's), timestamp, blob length;
//     the header blob itself (blob length bytes), zero padding up to the block boundary;
//     tail (12 bytes, the last of the blocks): adler32, blob length, magic "BlbE".
//     The block count is exactly ceil((16 + blob length + 12) / 16); the adler32 (starting at 1)
//     covers everything before the tail: head, blob and padding.
#include "analyzers/rpm_ndb.h"

#include <zlib.h>

#include <algorithm>
#include <unordered_set>

namespace customs::rpm_ndb {

namespace {

constexpr uint32_t Magic(const char (&s)[5]) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[3])) << 24;
}

constexpr uint32_t kFileMagic = Magic("RpmP");
constexpr uint32_t kSlotMagic = Magic("Slot");
constexpr uint32_t kBlobHeadMagic = Magic("BlbS");
constexpr uint32_t kBlobTailMagic = Magic("BlbE");
constexpr uint32_t kVersion = 0;

constexpr uint64_t kFileHeaderSize = 32;
constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kSlotSize = 16;
constexpr uint64_t kBlockSize = 16;
constexpr uint64_t kBlobHeadSize = 16;
constexpr uint64_t kBlobTailSize = 12;

// At most this many problems are listed one by one; the rest are counted.
constexpr size_t kMaxProblems = 32;

// Little-endian u32 at `off`; the caller has checked off + 4 <= data.size().
uint32_t Le32(std::string_view data, uint64_t off) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data() + off);
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

uint32_t Adler32(std::string_view data) {
  uLong a = adler32(0L, Z_NULL, 0);  // 1
  while (!data.empty()) {
    const size_t n = std::min<size_t>(data.size(), 1u << 30);
    a = adler32(a, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
    data.remove_prefix(n);
  }
  return static_cast<uint32_t>(a);
}

class Problems {
 public:
  explicit Problems(std::vector<std::string>& out) : out_(out) {}
  ~Problems() {
    if (dropped_ > 0) out_.push_back(std::to_string(dropped_) + " more damaged slots or blobs");
  }
  void Add(std::string msg) {
    if (listed_ < kMaxProblems) {
      out_.push_back(std::move(msg));
      ++listed_;
    } else {
      ++dropped_;
    }
  }

 private:
  std::vector<std::string>& out_;
  size_t listed_ = 0, dropped_ = 0;
};

// Checks the blob a used slot points to. Returns "" and sets `header`, or says what is wrong.
std::string CheckBlob(std::string_view file, uint32_t pkgidx, uint64_t blkoff, uint64_t blkcnt,
                      std::string_view& header) {
  const uint64_t begin = blkoff * kBlockSize;
  const uint64_t size = blkcnt * kBlockSize;  // caller checked begin + size <= file.size()
  if (size < kBlobHeadSize + kBlobTailSize)
    return "blob of " + std::to_string(blkcnt) + " blocks is too small";
  const std::string_view blob = file.substr(begin, size);
  if (Le32(blob, 0) != kBlobHeadMagic) return "bad blob head magic";
  if (const uint32_t idx = Le32(blob, 4); idx != pkgidx)
    return "blob belongs to package " + std::to_string(idx);
  const uint64_t len = Le32(blob, 12);
  if (len == 0) return "empty header blob";
  if ((kBlobHeadSize + len + kBlobTailSize + kBlockSize - 1) / kBlockSize != blkcnt)
    return "blob length " + std::to_string(len) + " does not fit its " + std::to_string(blkcnt) + " blocks";
  const uint64_t tail = size - kBlobTailSize;
  if (Le32(blob, tail + 8) != kBlobTailMagic) return "bad blob tail magic";
  if (Le32(blob, tail + 4) != len) return "blob head and tail disagree on the length";
  if (Le32(blob, tail) != Adler32(blob.substr(0, tail))) return "blob checksum mismatch";
  header = blob.substr(kBlobHeadSize, len);
  return "";
}

}  // namespace

bool Read(std::string_view file, Contents& out, std::string& error) {
  if (file.size() < kFileHeaderSize) {
    error = "not an ndb database: " + std::to_string(file.size()) + " bytes, shorter than the file header";
    return false;
  }
  if (Le32(file, 0) != kFileMagic) {
    error = "not an ndb database: bad magic";
    return false;
  }
  if (const uint32_t v = Le32(file, 4); v != kVersion) {
    error = "unsupported ndb version " + std::to_string(v);
    return false;
  }
  out.generation = Le32(file, 8);
  const uint64_t npages = Le32(file, 12);
  if (npages == 0) {
    error = "ndb database without slot pages";
    return false;
  }
  if (npages > file.size() / kPageSize) {
    error = "ndb header announces " + std::to_string(npages) + " slot pages, the file has room for " +
            std::to_string(file.size() / kPageSize) + " (truncated?)";
    return false;
  }
  const uint64_t first_data_block = npages * (kPageSize / kBlockSize);
  const uint64_t file_blocks = file.size() / kBlockSize;

  Problems problems(out.problems);
  std::unordered_set<uint32_t> seen;
  const uint64_t nslots = npages * (kPageSize / kSlotSize);
  for (uint64_t slotno = kFileHeaderSize / kSlotSize; slotno < nslots; ++slotno) {
    const uint64_t off = slotno * kSlotSize;  // < npages * kPageSize <= file.size()
    if (Le32(file, off) != kSlotMagic) {
      problems.Add("slot " + std::to_string(slotno) + ": bad slot magic");
      continue;
    }
    const uint32_t pkgidx = Le32(file, off + 4);
    const uint64_t blkoff = Le32(file, off + 8);
    const uint64_t blkcnt = Le32(file, off + 12);
    if (blkoff == 0) continue;  // free slot
    const std::string pkg = "slot " + std::to_string(slotno) + " (package " + std::to_string(pkgidx) + ")";
    if (pkgidx == 0 || blkcnt == 0) {
      problems.Add(pkg + ": used slot without package index or blocks");
      continue;
    }
    if (blkoff < first_data_block) {
      problems.Add(pkg + ": blob offset points into the slot pages");
      continue;
    }
    if (blkoff + blkcnt > file_blocks) {  // both < 2^32: no overflow in 64 bits
      problems.Add(pkg + ": blob extends past the end of the file (truncated?)");
      continue;
    }
    std::string_view header;
    if (std::string err = CheckBlob(file, pkgidx, blkoff, blkcnt, header); !err.empty()) {
      problems.Add(pkg + ": " + err);
      continue;
    }
    if (!seen.insert(pkgidx).second) {
      problems.Add(pkg + ": package index used by an earlier slot too");
      continue;
    }
    out.blobs.push_back(Blob{pkgidx, header});
  }
  std::sort(out.blobs.begin(), out.blobs.end(),
            [](const Blob& a, const Blob& b) { return a.pkgidx < b.pkgidx; });
  return true;
}

}  // namespace customs::rpm_ndb
