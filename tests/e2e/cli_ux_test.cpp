// Acceptance: the non-terminal experience. With stderr not a terminal (a pipe here) a clean scan
// prints nothing on stderr (no progress); `--help` of every command exits 0 and lists its flags;
// the report goes to stdout or to -o and nowhere else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"

namespace ct = customs_test;
using ct::TarEntry;

namespace {

std::string AlpineDockerArchive(const ct::TempDir& d) {
  ct::AlpineRootfsFile rootfs;
  for (const auto& f : ct::AlpineMinirootfsFiles())
    if (f.version == "3.12.12") rootfs = f;
  EXPECT_FALSE(rootfs.path.empty());
  std::string out = d / "alpine.tar";
  ct::WriteDockerArchive(out, {ct::MakeLayer(d / "layers", ct::ReadTarEntries(rootfs.path), ct::Compression::kNone)});
  return out;
}

TEST(CliUx, CleanScanPrintsNothingOnStderrWhenNotATerminal) {
  ct::TempDir d;
  const std::string image = AlpineDockerArchive(d);
  for (const std::string& format : {"table", "json", "cyclonedx", "spdx-json"}) {
    ct::TempDir cwd;
    ct::RunOptions o;
    o.cwd = cwd.path();
    ct::RunResult r = ct::RunCustoms({"image", "--input", image, "-f", format}, o);
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.Describe();
    EXPECT_EQ(r.err, "") << format << ": progress or logs on a non-terminal stderr";
    EXPECT_FALSE(r.out.empty()) << format;
    EXPECT_EQ(cwd.List(), std::vector<std::string>{}) << format << ": files written besides stdout";
  }
  // The default format is the table, and it names the packages.
  ct::RunResult table = ct::RunCustoms({"image", "--input", image});
  EXPECT_EQ(table.exit_code, 0) << table.Describe();
  EXPECT_NE(table.out.find("musl"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("\x1b["), std::string::npos) << "colors on a non-terminal stdout";
}

TEST(CliUx, RootfsAndFsScansAreQuietToo) {
  ct::TempDir d;
  ct::RunResult x = ct::Run({"tar", "-xzf", ct::AlpineMinirootfsFiles().back().path, "-C", d.path()});
  ASSERT_EQ(x.exit_code, 0) << x.Describe();
  for (const std::string& cmd : {"rootfs", "fs"}) {
    ct::RunResult r = ct::RunCustoms({cmd, d.path(), "-f", "json"});
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.Describe();
    EXPECT_EQ(r.err, "") << cmd;
    EXPECT_TRUE(ct::ParseJson(r.out).is_object()) << cmd;
  }
  // fs reads an OS package database found in the tree too (as Trivy's fs does): the same packages.
  ct::JsonRun fs = ct::RunCustomsJson({"fs", d.path()});
  ct::JsonRun rootfs = ct::RunCustomsJson({"rootfs", d.path()});
  EXPECT_GT(ct::ReportPackages(fs.report, "apk").size(), 10u);
  EXPECT_EQ(ct::ReportPackages(fs.report, "apk").size(), ct::ReportPackages(rootfs.report, "apk").size());
}

TEST(CliUx, OutputFlagWritesOnlyThatFile) {
  ct::TempDir d;
  const std::string image = AlpineDockerArchive(d);
  ct::TempDir cwd;
  ct::RunOptions o;
  o.cwd = cwd.path();
  for (const std::string& flag : {"-o", "--output"}) {
    ct::RunResult r = ct::RunCustoms({"image", "--input", image, "--format", "json", flag, cwd / "report.json"}, o);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(cwd.List(), std::vector<std::string>{"report.json"});
    EXPECT_TRUE(ct::ParseJson(ct::ReadFile(cwd / "report.json")).is_object());
  }
  // -q and -d are accepted; -d may log on stderr, -q prints nothing there.
  ct::RunResult q = ct::RunCustoms({"image", "--input", image, "-q", "-f", "json"});
  EXPECT_EQ(q.exit_code, 0) << q.Describe();
  EXPECT_EQ(q.err, "");
  ct::RunResult dbg = ct::RunCustoms({"image", "--input", image, "--debug", "-f", "json"});
  EXPECT_EQ(dbg.exit_code, 0) << dbg.Describe();
  EXPECT_TRUE(ct::ParseJson(dbg.out).is_object()) << "debug output must not go to stdout";
}

void ExpectHelpLists(const std::vector<std::string>& args, const std::vector<std::string>& words) {
  std::string cmd;
  for (const auto& a : args) cmd += a + " ";
  ct::RunResult r = ct::RunCustoms(args);
  EXPECT_EQ(r.exit_code, 0) << cmd << r.Describe();
  const std::string text = r.out + r.err;
  for (const auto& w : words) EXPECT_NE(text.find(w), std::string::npos) << cmd << "does not list " << w << ":\n" << text;
}

const std::vector<std::string> kCommonFlags = {"-f", "--format", "-o", "--output", "-q", "--quiet", "-d", "--debug",
                                               "--max-layer-size", "--max-file-size", "--max-compression-ratio",
                                               "table", "json", "cyclonedx", "spdx-json"};

TEST(CliUx, HelpOfEveryCommand) {
  ExpectHelpLists({"--help"}, {"image", "rootfs", "fs"});
  ExpectHelpLists({"-h"}, {"image", "rootfs", "fs"});
  std::vector<std::string> image = kCommonFlags;
  image.insert(image.end(), {"--input", "--platform"});
  ExpectHelpLists({"image", "--help"}, image);
  ExpectHelpLists({"rootfs", "--help"}, kCommonFlags);
  ExpectHelpLists({"fs", "--help"}, kCommonFlags);
}

TEST(CliUx, SizeFlagsAcceptUnitsAndBytes) {
  ct::TempDir d;
  ct::WriteTar(d / "rootfs.tar", {TarEntry::File("etc/hostname", "x\n")});
  for (const std::string& size : {"512M", "2G", "1048576", "64K"}) {
    ct::RunResult r = ct::RunCustoms({"rootfs", d / "rootfs.tar", "--max-layer-size", size, "--max-file-size", size,
                                      "-f", "json"});
    EXPECT_EQ(r.exit_code, 0) << size << ": " << r.Describe();
  }
}


// On a terminal (a pty from util-linux's `script`), a progress line is drawn on stderr and erased;
// --quiet turns it off. The report itself goes to -o, so the pty carries only stderr.
TEST(CliUx, ProgressOnlyOnATerminal) {
  if (ct::Run({"sh", "-c", "command -v script"}).exit_code != 0) GTEST_SKIP() << "util-linux `script` not found";
  ct::TempDir d;
  const std::string image = AlpineDockerArchive(d);
  auto on_pty = [&](const std::string& extra) {
    std::string cmd = "'" + ct::CustomsBin() + "' image --input '" + image + "' -f json -o '" + (d / "out.json") + "'" + extra;
    return ct::Run({"script", "-qec", cmd, "/dev/null"});
  };
  ct::RunResult r = on_pty("");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("scanning: 1/1 layers"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\r\x1b[K"), std::string::npos) << "the progress line is not erased";
  ct::RunResult q = on_pty(" --quiet");
  ASSERT_EQ(q.exit_code, 0) << q.Describe();
  EXPECT_EQ(q.out.find("scanning:"), std::string::npos) << q.out;
}

}  // namespace
