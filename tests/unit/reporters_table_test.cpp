// The table report.
#include <gtest/gtest.h>

#include <sstream>

#include "unit/reporters_sample.h"

namespace customs {
namespace {

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool Contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(TableReport, HeaderTableSummaryDiagnostics) {
  std::string out = sample::Render("table", sample::Alpine());
  auto lines = Lines(out);
  ASSERT_GE(lines.size(), 10u);
  EXPECT_EQ(lines[0], "alpine:3.9 (alpine 3.9.6)");
  EXPECT_EQ(lines[1], std::string(lines[0].size(), '='));
  EXPECT_TRUE(Contains(out, "Artifact: alpine:3.9 (container_image)\n"));
  EXPECT_TRUE(Contains(out, "OS:       alpine 3.9.6 (Alpine Linux v3.9)\n"));
  EXPECT_TRUE(Contains(out, "alpine:3.9 (alpine 3.9.6) [apk]\n"));
  EXPECT_TRUE(Contains(out, "│ Package      │ Version    │ Arch   │ Source  │ Layer        │\n"));
  EXPECT_TRUE(Contains(out, "│ musl         │ 1.1.20-r4  │ x86_64 │ musl    │ 6102f0d2ad33 │\n"));
  EXPECT_TRUE(Contains(out, "│ libssl1.1    │ 1.1.1k-r0  │ x86_64 │ openssl │ a1b2c3d4e5f6 │\n"));
  EXPECT_TRUE(Contains(out, "\n5 packages\n"));
  EXPECT_TRUE(Contains(out, "\nwarning: lib/apk/db/installed: line 42: unknown field 'Z'\n"));
  // Diagnostics come last.
  EXPECT_GT(out.find("warning:"), out.find("5 packages"));
  // No ANSI escapes without color.
  EXPECT_FALSE(Contains(out, "\x1b["));

  // Rows sorted by name.
  size_t busybox = out.find("│ busybox"), curl = out.find("│ curl"), musl = out.find("│ musl");
  EXPECT_LT(busybox, curl);
  EXPECT_LT(curl, musl);
}

TEST(TableReport, BoxLinesAlign) {
  for (const ScanResult& r : {sample::Alpine(), sample::Debian(), sample::Rocky(), sample::BareRootfs()}) {
    size_t width = 0;
    for (const auto& line : Lines(sample::Render("table", r))) {
      bool box = line.rfind("┌", 0) == 0 || line.rfind("│", 0) == 0 || line.rfind("├", 0) == 0 ||
                 line.rfind("└", 0) == 0;
      if (!box) {
        width = 0;  // a new table starts after this
        continue;
      }
      if (width == 0) width = CodePoints(line);
      EXPECT_EQ(CodePoints(line), width) << line;
    }
  }
}

TEST(TableReport, SourceVersionEpochAndUnknownLayer) {
  std::string deb = sample::Render("table", sample::Debian());
  // The source version is shown when it differs from the package version.
  EXPECT_TRUE(Contains(deb, "│ bsdutils │ 1:2.36.1-8  │ amd64 │ util-linux 2.36.1-8 │"));
  EXPECT_TRUE(Contains(deb, "│ libc6    │ 2.31-13     │ amd64 │ glibc               │"));
  EXPECT_TRUE(Contains(deb, "\n3 packages\n"));

  std::string bare = sample::Render("table", sample::BareRootfs());
  EXPECT_TRUE(Contains(bare, "OS:       unknown\n"));
  EXPECT_TRUE(Contains(bare, "/srv/rootfs [dpkg]\n"));
  EXPECT_TRUE(Contains(bare, "/srv/rootfs [unknown-type]\n"));
  EXPECT_TRUE(Contains(bare, "│ odd pkg │ 1.0     │ all  │ odd pkg │ -     │"));
  EXPECT_TRUE(Contains(bare, "\n1 package\n"));
}

TEST(TableReport, EmptyInventory) {
  ScanResult r = sample::Base("scratch", ArtifactType::kContainerImage);
  r.inventory.os.reset();
  std::string out = sample::Render("table", r);
  EXPECT_TRUE(Contains(out, "No packages found.\n"));
  EXPECT_FALSE(Contains(out, "┌"));
}

TEST(TableReport, ColorIsBoldHeadersOnly) {
  std::string out = sample::Render("table", sample::Alpine(), /*color=*/true);
  EXPECT_TRUE(Contains(out, "\x1b[1malpine:3.9 (alpine 3.9.6)\x1b[0m\n"));
  EXPECT_TRUE(Contains(out, "\x1b[1mPackage     \x1b[0m"));
  EXPECT_TRUE(Contains(out, "│ musl         │ 1.1.20-r4  │"));  // data rows stay plain
  // Same text once the escapes are removed.
  std::string plain = out;
  for (std::string esc : {"\x1b[1m", "\x1b[0m"})
    for (size_t p; (p = plain.find(esc)) != std::string::npos;) plain.erase(p, esc.size());
  EXPECT_EQ(plain, sample::Render("table", sample::Alpine()));
}

TEST(TableReport, HostileTextCannotDriveTheTerminal) {
  ScanResult r = sample::Alpine();
  r.inventory.packages[0].name = "evil\x1b]0;owned\x07\npkg";
  r.inventory.diagnostics.push_back({"x\x1b[2J", "line\rbreak"});
  std::string out = sample::Render("table", r);
  EXPECT_FALSE(Contains(out, "\x1b"));
  EXPECT_FALSE(Contains(out, "\r"));
  EXPECT_FALSE(Contains(out, "\x07"));
  EXPECT_TRUE(Contains(out, "evil?]0;owned??pkg"));
  EXPECT_TRUE(Contains(out, "warning: x?[2J: line?break\n"));
}

}  // namespace
}  // namespace customs
