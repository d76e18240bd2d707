// See go_elf_util.h. References: the System V ELF gABI (header layouts), Go's
// src/debug/buildinfo/buildinfo.go and src/runtime/debug/mod.go (build info layout and text).
#include "analyzers/go_elf_util.h"

#include <cstring>

namespace customs::goelf {

namespace {

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kShtNobits = 8;
constexpr uint64_t kShfAlloc = 2;
constexpr std::string_view kBuildInfoMagic = "\xff Go buildinf:";
constexpr size_t kBuildInfoHeaderSize = 32;
constexpr uint64_t kMaxStringSize = 32ull << 20;  // Go's own reader refuses larger strings

// Bounds-checked little/big-endian reads.
struct Reader {
  std::string_view d;
  bool be = false;
  bool In(uint64_t off, uint64_t n) const { return off <= d.size() && n <= d.size() - off; }
  bool U(uint64_t off, unsigned n, uint64_t& v) const {
    if (!In(off, n)) return false;
    v = 0;
    for (unsigned i = 0; i < n; ++i) {
      uint64_t b = static_cast<unsigned char>(d[off + (be ? i : n - 1 - i)]);
      v = (v << 8) | b;
    }
    return true;
  }
};

bool ReadUvarint(std::string_view& s, uint64_t& v) {
  v = 0;
  for (unsigned shift = 0, i = 0; i < s.size() && shift < 64; ++i, shift += 7) {
    uint8_t b = static_cast<uint8_t>(s[i]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      s.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

bool DecodeString(std::string_view& s, std::string& out) {
  uint64_t n;
  if (!ReadUvarint(s, n) || n > s.size()) return false;
  out.assign(s.substr(0, n));
  s.remove_prefix(n);
  return true;
}

// Reads a Go string header {data pointer, length} at virtual address `addr`.
bool ReadGoString(const Elf& elf, std::string_view data, const Reader& r, unsigned ptr, uint64_t addr,
                  std::string& out) {
  auto hdr = ReadVirtual(elf, data, addr, 2ull * ptr);
  if (!hdr) return false;
  Reader h{*hdr, r.be};
  uint64_t p, n;
  if (!h.U(0, ptr, p) || !h.U(ptr, ptr, n) || n > kMaxStringSize) return false;
  if (n == 0) {
    out.clear();
    return true;
  }
  auto s = ReadVirtual(elf, data, p, n);
  if (!s) return false;
  out.assign(*s);
  return true;
}

// Decodes the build info whose 32-byte header starts at `bi` (the rest of the file after it).
bool DecodeAt(const Elf& elf, std::string_view data, std::string_view bi, BuildInfo& out, std::string& err) {
  if (bi.size() < kBuildInfoHeaderSize) {
    err = "truncated Go build info header";
    return false;
  }
  const unsigned ptr = static_cast<unsigned char>(bi[14]);
  const uint8_t flags = static_cast<uint8_t>(bi[15]);
  if (flags & 2) {  // Go >= 1.18: the strings follow the header, varint-length-prefixed
    std::string_view rest = bi.substr(kBuildInfoHeaderSize);
    if (!DecodeString(rest, out.go_version) || !DecodeString(rest, out.modinfo)) {
      err = "truncated Go build info strings";
      return false;
    }
  } else {  // older: pointers to Go string headers
    if (ptr != 4 && ptr != 8) {
      err = "Go build info has an invalid pointer size " + std::to_string(ptr);
      return false;
    }
    Reader r{bi, flags != 0};
    uint64_t vaddr, maddr;
    if (!r.U(16, ptr, vaddr) || !r.U(16 + ptr, ptr, maddr)) {
      err = "truncated Go build info header";
      return false;
    }
    if (!ReadGoString(elf, data, r, ptr, vaddr, out.go_version)) {
      err = "Go version string points outside the file";
      return false;
    }
    if (!ReadGoString(elf, data, r, ptr, maddr, out.modinfo)) {
      err = "Go module info string points outside the file";
      return false;
    }
  }
  if (out.go_version.empty()) {
    err = "Go build info has no Go version";
    return false;
  }
  // The module info is framed by two 16-byte sentinels; the byte before the closing one is '\n'.
  const std::string& m = out.modinfo;
  if (m.size() >= 33 && m[m.size() - 17] == '\n')
    out.modinfo = m.substr(16, m.size() - 32);
  else
    out.modinfo.clear();
  return true;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

}  // namespace

bool IsElf(std::string_view data) { return data.size() >= 4 && data.substr(0, 4) == "\x7f" "ELF"; }

bool LooksLikeExecutable(std::string_view path, uint32_t mode, uint64_t size) {
  constexpr uint64_t kMinSize = 4096;  // smaller than any linked program
  if ((mode & 0111) == 0 || size < kMinSize) return false;
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.find(".so.") != std::string_view::npos) return false;
  static constexpr std::string_view kSuffixes[] = {
      ".so",  ".a",   ".o",   ".ko",  ".py",   ".pyc",  ".pl",  ".pm",   ".rb",   ".sh",  ".bash",
      ".js",  ".mjs", ".ts",  ".php", ".lua",  ".tcl",  ".txt", ".md",   ".json", ".xml", ".yaml",
      ".yml", ".conf", ".cfg", ".ini", ".html", ".css", ".png", ".jpg", ".gif",  ".svg", ".jar",
      ".class", ".h", ".c",  ".cc", ".cpp", ".go",  ".rs",  ".gz",  ".xz",  ".zst", ".bz2", ".zip",
      ".tar", ".pem", ".crt", ".key", ".mo", ".dll", ".exe", ".dylib", ".ps1", ".bat"};
  for (std::string_view s : kSuffixes)
    if (base.ends_with(s)) return false;
  return true;
}

std::optional<Elf> ParseElf(std::string_view data, std::string* error) {
  auto fail = [&](const char* msg) -> std::optional<Elf> {
    if (error) *error = msg;
    return std::nullopt;
  };
  if (!IsElf(data) || data.size() < 52) return fail("not an ELF file or truncated ELF header");
  Elf elf;
  const uint8_t cls = static_cast<uint8_t>(data[4]), enc = static_cast<uint8_t>(data[5]);
  if (cls != 1 && cls != 2) return fail("invalid ELF class");
  if (enc != 1 && enc != 2) return fail("invalid ELF data encoding");
  elf.is64 = cls == 2;
  elf.big_endian = enc == 2;
  Reader r{data, elf.big_endian};
  const unsigned w = elf.is64 ? 8 : 4;
  uint64_t phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx;
  const uint64_t base = 24;  // e_entry
  if (!r.U(base + w, w, phoff) || !r.U(base + 2 * w, w, shoff)) return fail("truncated ELF header");
  const uint64_t after = base + 3 * w + 4;  // e_flags
  if (!r.U(after + 2, 2, phentsize) || !r.U(after + 4, 2, phnum) || !r.U(after + 6, 2, shentsize) ||
      !r.U(after + 8, 2, shnum) || !r.U(after + 10, 2, shstrndx))
    return fail("truncated ELF header");

  // Program headers.
  const uint64_t ph_min = elf.is64 ? 56 : 32;
  if (phnum && phentsize >= ph_min) {
    for (uint64_t i = 0; i < phnum; ++i) {
      const uint64_t o = phoff + i * phentsize;
      if (!r.In(o, ph_min)) break;
      Segment s;
      uint64_t t, f;
      r.U(o, 4, t);
      s.type = static_cast<uint32_t>(t);
      if (elf.is64) {
        r.U(o + 4, 4, f);
        r.U(o + 8, 8, s.offset);
        r.U(o + 16, 8, s.vaddr);
        r.U(o + 32, 8, s.filesz);
      } else {
        r.U(o + 4, 4, s.offset);
        r.U(o + 8, 4, s.vaddr);
        r.U(o + 16, 4, s.filesz);
        r.U(o + 24, 4, f);
      }
      s.flags = static_cast<uint32_t>(f);
      elf.segments.push_back(s);
    }
  }

  // Section headers, then their names from the section-name string table.
  const uint64_t sh_min = elf.is64 ? 64 : 40;
  std::vector<uint64_t> name_offsets;
  if (shnum && shentsize >= sh_min) {
    for (uint64_t i = 0; i < shnum; ++i) {
      const uint64_t o = shoff + i * shentsize;
      if (!r.In(o, sh_min)) break;
      Section s;
      uint64_t name, type;
      r.U(o, 4, name);
      r.U(o + 4, 4, type);
      s.type = static_cast<uint32_t>(type);
      if (elf.is64) {
        r.U(o + 8, 8, s.flags);
        r.U(o + 16, 8, s.addr);
        r.U(o + 24, 8, s.offset);
        r.U(o + 32, 8, s.size);
      } else {
        r.U(o + 8, 4, s.flags);
        r.U(o + 12, 4, s.addr);
        r.U(o + 16, 4, s.offset);
        r.U(o + 20, 4, s.size);
      }
      elf.sections.push_back(s);
      name_offsets.push_back(name);
    }
    if (shstrndx < elf.sections.size()) {
      const Section& st = elf.sections[shstrndx];
      if (st.type != kShtNobits && r.In(st.offset, st.size)) {
        std::string_view strtab = data.substr(st.offset, st.size);
        for (size_t i = 0; i < elf.sections.size(); ++i) {
          if (name_offsets[i] >= strtab.size()) continue;
          std::string_view n = strtab.substr(name_offsets[i]);
          elf.sections[i].name = std::string(n.substr(0, n.find('\0')));
        }
      }
    }
  }
  return elf;
}

std::optional<std::string_view> SectionData(const Elf& elf, std::string_view data, std::string_view name) {
  Reader r{data};
  for (const Section& s : elf.sections) {
    if (s.name != name) continue;
    if (s.type == kShtNobits || !r.In(s.offset, s.size)) return std::nullopt;
    return data.substr(s.offset, s.size);
  }
  return std::nullopt;
}

std::optional<std::string_view> ReadVirtual(const Elf& elf, std::string_view data, uint64_t addr, uint64_t len) {
  Reader r{data};
  for (const Segment& s : elf.segments) {
    if (s.type != kPtLoad || addr < s.vaddr) continue;
    const uint64_t rel = addr - s.vaddr;
    if (rel >= s.filesz || len > s.filesz - rel) continue;
    if (s.offset > data.size() || rel > data.size() - s.offset || !r.In(s.offset + rel, len)) continue;
    return data.substr(s.offset + rel, len);
  }
  for (const Section& s : elf.sections) {
    if (!(s.flags & kShfAlloc) || s.type == kShtNobits || addr < s.addr) continue;
    const uint64_t rel = addr - s.addr;
    if (rel >= s.size || len > s.size - rel) continue;
    if (s.offset > data.size() || rel > data.size() - s.offset || !r.In(s.offset + rel, len)) continue;
    return data.substr(s.offset + rel, len);
  }
  return std::nullopt;
}

std::optional<BuildInfo> ReadGoBuildInfo(std::string_view data, std::string* error) {
  std::string err;
  auto elf = ParseElf(data, &err);
  if (!elf) return std::nullopt;  // not ELF: not ours to complain about
  // The linker puts the build info in its own section; stripped or unusual binaries may lack the
  // section header, so fall back to a scan for the 16-byte-aligned magic (as Go's reader does).
  if (auto sec = SectionData(*elf, data, ".go.buildinfo")) {
    if (sec->substr(0, kBuildInfoMagic.size()) == kBuildInfoMagic) {
      const size_t off = static_cast<size_t>(sec->data() - data.data());
      BuildInfo bi;
      if (DecodeAt(*elf, data, data.substr(off), bi, err)) return bi;
      if (error) *error = err;
      return std::nullopt;
    }
  }
  std::string first_err;
  for (size_t pos = data.find(kBuildInfoMagic); pos != std::string_view::npos;
       pos = data.find(kBuildInfoMagic, pos + 1)) {
    if (pos % 16 != 0) continue;
    BuildInfo bi;
    if (DecodeAt(*elf, data, data.substr(pos), bi, err)) return bi;
    if (first_err.empty()) first_err = err;
  }
  if (error) *error = first_err;
  return std::nullopt;
}

ModInfo ParseModInfo(std::string_view text) {
  ModInfo info;
  Module* last = nullptr;
  for (std::string_view line : Split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto f = Split(line, '\t');
    const std::string_view key = f[0];
    if (key == "path" && f.size() >= 2) {
      info.path = f[1];
      last = nullptr;
    } else if ((key == "mod" || key == "dep") && f.size() >= 3 && !f[1].empty()) {
      Module m;
      m.path = f[1];
      m.version = f[2];
      if (f.size() >= 4) m.sum = f[3];
      if (key == "mod") {
        info.main = std::move(m);
        last = &*info.main;
      } else {
        info.deps.push_back(std::move(m));
        last = &info.deps.back();
      }
    } else if (key == "=>" && f.size() >= 3 && last && !last->replace_path) {
      last->replace_path = std::string(f[1]);
      last->replace_version = std::string(f[2]);
      if (f.size() >= 4) last->replace_sum = std::string(f[3]);
      last = nullptr;
    } else if (key == "build" && f.size() >= 2) {
      // "build\tKEY=VALUE" (values with spaces or tabs are quoted by Go).
      std::string_view kv = line.substr(6);
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos)
        info.build.emplace_back(std::string(kv), "");
      else
        info.build.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    } else {
      ++info.malformed_lines;
      last = nullptr;
    }
  }
  return info;
}

}  // namespace customs::goelf
