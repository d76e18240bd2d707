// Hostile-input limits inside the walker and the sources: stream sessions go through InvokeAnalyzer (a
// failing session is a diagnostic, a LimitError fails the scan), the total of kept file contents is
// bounded, and a directory layer's direct reads never leave its root.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "core/entry_path.h"
#include "core/error.h"
#include "source/streams.h"
#include "support/fixtures.h"
#include "walker/walker.h"

using namespace customs;
using customs_test::TarEntry;
using customs_test::TempDir;

namespace {

LoadedSource SourceOf(const std::string& tar) {
  LoadedSource src;
  src.artifact.type = ArtifactType::kRootfs;
  src.artifact.name = "test";
  src.layers.push_back(LayerInfo{});
  src.expect.push_back({});
  src.streams.push_back(MakeLayerSource("layer0", [tar] { return OpenTarStream(OpenFileBytes(tar), tar, Limits{}); }));
  return src;
}

enum class Failure { kRuntime, kLimit };

// A stream analyzer whose sessions fail on files named "bad*": in Begin, Feed or End.
class FailingStreamer : public Analyzer {
 public:
  FailingStreamer(Failure f, int where) : failure_(f), where_(where) {}
  std::string_view Name() const override { return "failing"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kSecret; }
  bool Wants(std::string_view, const FileMeta&) const override { return false; }
  bool WantsStream(const FileMeta&) const override { return true; }
  std::unique_ptr<StreamSession> OpenStream(int) const override { return std::make_unique<Session>(*this); }

 private:
  struct Session : StreamSession {
    explicit Session(const FailingStreamer& a) : a(a) {}
    bool Begin(const FileMeta& meta) override {
      bad = std::filesystem::path(meta.path).filename().string().rfind("bad", 0) == 0;
      if (bad && a.where_ == 0) a.Throw();
      return true;
    }
    void Feed(std::span<const char>) override {
      if (bad && a.where_ == 1) a.Throw();
    }
    void End(AnalysisResult& out) override {
      if (bad && a.where_ == 2) a.Throw();
      out.diagnostics.push_back({"ok", "session ended"});
    }
    const FailingStreamer& a;
    bool bad = false;
  };
  void Throw() const {
    if (failure_ == Failure::kLimit) throw LimitExceeded("bad", "a limit the analyzer crossed");
    throw std::runtime_error("unreadable");
  }
  Failure failure_;
  int where_;
};

class WalkerLimits : public testing::TestWithParam<int> {
 protected:
  TempDir dir{"customs-walker-limits"};
  // Small files (handed whole to a session or a helper) and a 3 MiB one (streamed block by block).
  std::string Tar() {
    const std::string p = dir / "layer.tar";
    customs_test::WriteTar(p, {TarEntry::File("etc/good", "fine\n"), TarEntry::File("etc/bad-small", "x\n"),
                               TarEntry::File("etc/bad-large", std::string(3 << 20, 'y')),
                               TarEntry::File("etc/good2", "fine\n")});
    return p;
  }
};

TEST_P(WalkerLimits, AFailingSessionIsADiagnosticOfThatFile) {
  const LoadedSource src = SourceOf(Tar());
  for (int where = 0; where < 3; ++where) {
    SCOPED_TRACE(where);
    FailingStreamer a(Failure::kRuntime, where);
    WalkOptions wo;
    wo.threads = unsigned(GetParam());
    auto scans = WalkLayers(src, {&a}, wo);
    ASSERT_EQ(scans.size(), 1u);
    int failed_small = 0, failed_large = 0, ended = 0;
    for (const auto& d : scans[0].result.diagnostics) {
      if (d.where == "etc/bad-small" && d.message.find("failing analyzer failed: unreadable") != std::string::npos)
        ++failed_small;
      if (d.where == "etc/bad-large" && d.message.find("failing analyzer failed: unreadable") != std::string::npos)
        ++failed_large;
      if (d.where == "ok") ++ended;
    }
    EXPECT_EQ(failed_small, 1);
    EXPECT_EQ(failed_large, 1);
    EXPECT_EQ(ended, 2) << "the good files' sessions still end";
  }
}

TEST_P(WalkerLimits, ALimitErrorFromASessionFailsTheScan) {
  const LoadedSource src = SourceOf(Tar());
  for (int where = 0; where < 3; ++where) {
    SCOPED_TRACE(where);
    FailingStreamer a(Failure::kLimit, where);
    WalkOptions wo;
    wo.threads = unsigned(GetParam());
    try {
      WalkLayers(src, {&a}, wo);
      ADD_FAILURE() << "no error";
    } catch (const LimitError& e) {
      EXPECT_EQ(e.code(), kExitInputRejected);
      EXPECT_NE(std::string(e.what()).find("a limit the analyzer crossed"), std::string::npos) << e.what();
    }
  }
}

// One thread (no helpers) and four (helper threads for the one layer).
INSTANTIATE_TEST_SUITE_P(Threads, WalkerLimits, testing::Values(1, 4));

// A view analyzer: its files are kept until the scan ends.
class Keeper : public Analyzer {
 public:
  std::string_view Name() const override { return "keeper"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kOS; }
  bool Wants(std::string_view path, const FileMeta&) const override { return path.rfind("db/", 0) == 0; }
  bool NeedsView() const override { return true; }
};

TEST(WalkerKeptBytes, TheTotalKeptOverAllLayersIsBounded) {
  TempDir dir("customs-kept");
  const std::string tar = dir / "layer.tar";
  customs_test::WriteTar(tar, {TarEntry::File("db/a", std::string(600, 'a')), TarEntry::File("db/b", std::string(600, 'b'))});
  LoadedSource src;
  src.artifact.type = ArtifactType::kRootfs;
  for (int i = 0; i < 2; ++i) {  // the same layer twice: 2400 bytes kept in all
    LayerInfo li;
    li.index = i;
    src.layers.push_back(li);
    src.expect.push_back({});
    src.streams.push_back(MakeLayerSource("layer" + std::to_string(i), [tar] {
      return OpenTarStream(OpenFileBytes(tar), tar, Limits{});
    }));
  }
  Keeper k;
  WalkOptions wo;
  wo.limits.max_kept_bytes = 2400;
  EXPECT_EQ(WalkLayers(src, {&k}, wo).size(), 2u);
  wo.limits.max_kept_bytes = 2000;
  try {
    WalkLayers(src, {&k}, wo);
    ADD_FAILURE() << "no error";
  } catch (const LimitError& e) {
    EXPECT_NE(std::string(e.what()).find("--max-kept-size"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("db/"), std::string::npos) << e.what();
  }
}

TEST(DirectoryLayer, ReadFileDirectNeverLeavesTheRoot) {
  TempDir dir("customs-direct");
  const std::string root = dir / "root";
  customs_test::WriteFile(dir / "outside", "secret\n");
  customs_test::WriteFile(root + "/a/f", "inside\n");
  std::filesystem::create_symlink(dir / "outside", root + "/a/link");
  std::filesystem::create_symlink("../../outside", root + "/a/rel-link");
  std::filesystem::create_symlink(dir.path(), root + "/dirlink");
  std::filesystem::create_directories(root + "/a/sub");
  auto layer = MakeDirectoryLayer(root, Limits{});
  std::string out;
  ASSERT_TRUE(layer->ReadFileDirect("a/f", 1 << 20, out));
  EXPECT_EQ(out, "inside\n");
  for (const std::string& p : std::vector<std::string>{"..", "../outside", "a/../../outside", "/etc/passwd", "a/link", "a/rel-link",
                              "dirlink/outside", "a//f", "./a/f", "a/f/", "", "a/sub", std::string("a/f\0x", 5)}) {
    out = "untouched";
    EXPECT_FALSE(layer->ReadFileDirect(p, 1 << 20, out)) << "'" << p << "'";
    EXPECT_EQ(out.find("secret"), std::string::npos) << p;
  }
  EXPECT_FALSE(layer->ReadFileDirect("a/f", 3, out)) << "more than max_bytes";
}

TEST(EntryPath, NormalFormIsShared) {
  std::string out, reason;
  EXPECT_TRUE(NormalizeEntryPath("./usr//bin/./x", out, reason));
  EXPECT_EQ(out, "usr/bin/x");
  EXPECT_TRUE(IsNormalEntryPath(out));
  EXPECT_FALSE(NormalizeEntryPath("a/../../x", out, reason));
  EXPECT_FALSE(IsNormalEntryPath("a/../x"));
  EXPECT_FALSE(IsNormalEntryPath("/etc/passwd"));
}

}  // namespace
