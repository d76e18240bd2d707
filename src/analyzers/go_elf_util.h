// A minimal, bounds-checked ELF reader and the Go build-info decoder. Hand-written: no Debian C++
// library reads Go build info (Go's own reader is debug/buildinfo), and the few ELF facts needed
// (section by name, virtual address -> file offset) do not justify libelf. Every offset read from
// the file is checked against its size; nothing here trusts the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace customs::goelf {

struct Section {
  std::string name;
  uint32_t type = 0;
  uint64_t flags = 0, addr = 0, offset = 0, size = 0;
};

struct Segment {
  uint32_t type = 0, flags = 0;
  uint64_t offset = 0, vaddr = 0, filesz = 0;
};

// The headers of an ELF file that stay inside `data` (bad entries are dropped).
struct Elf {
  bool is64 = false;
  bool big_endian = false;
  std::vector<Section> sections;
  std::vector<Segment> segments;
};

// True when `data` starts with the ELF magic.
bool IsElf(std::string_view data);

// The claim the ELF analyzers share (go_binary.cpp keeps its own copy of the same rule): a regular
// file with an executable bit, at least 4 KiB, whose name does not say it is a script, a library or
// data. Every analyzer that reads executables should use this same rule: the walker then reads each
// such file once and hands the same bytes to all of them, and claims no extra files.
bool LooksLikeExecutable(std::string_view path, uint32_t mode, uint64_t size);

// Parses the ELF header and its program/section headers. nullopt (and `error`) when the header
// itself is malformed.
std::optional<Elf> ParseElf(std::string_view data, std::string* error);

// Contents of the named section (nullopt when absent, NOBITS or out of the file).
std::optional<std::string_view> SectionData(const Elf& elf, std::string_view data, std::string_view name);

// Bytes at virtual address `addr` (`len` of them), through the PT_LOAD segments, then the
// allocated sections. nullopt when not backed by the file.
std::optional<std::string_view> ReadVirtual(const Elf& elf, std::string_view data, uint64_t addr, uint64_t len);

// What a Go binary says about how it was built.
struct BuildInfo {
  std::string go_version;  // "go1.21.5" (possibly "go1.21.5 X:boringcrypto")
  std::string modinfo;     // the module information text (sentinels removed); may be empty
};

// Finds and decodes the build info of an ELF file. Returns nullopt with empty `error` when the file
// is not a Go binary; nullopt with `error` set when it is one but the build info is malformed.
std::optional<BuildInfo> ReadGoBuildInfo(std::string_view data, std::string* error);

// One module line of the modinfo text.
struct Module {
  std::string path, version, sum;
  std::optional<std::string> replace_path, replace_version, replace_sum;
};

struct ModInfo {
  std::string path;                 // "path" line: the main package
  std::optional<Module> main;       // "mod" line
  std::vector<Module> deps;         // "dep" lines (with their "=>" replacements)
  std::vector<std::pair<std::string, std::string>> build;  // "build" key=value settings
  size_t malformed_lines = 0;
};

ModInfo ParseModInfo(std::string_view text);

}  // namespace customs::goelf
