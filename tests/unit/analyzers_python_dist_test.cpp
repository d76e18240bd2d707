// python_dist analyzer: every installed distribution of this machine's site-packages and Debian's
// dist-packages, checked against importlib.metadata; and hand-made metadata edge cases.
#include <gtest/gtest.h>

#include <set>

#include "analyzers_test_util.h"

namespace customs {
namespace {

using namespace analyzers_test;

class PythonDistTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = MakeAnalyzer("python_dist");
    ASSERT_NE(a_, nullptr);
  }
  std::unique_ptr<Analyzer> a_;
};

TEST_F(PythonDistTest, Basics) {
  EXPECT_EQ(a_->Name(), "python_dist");
  EXPECT_EQ(a_->Group(), AnalyzerGroup::kLang);
  for (const char* p : {"usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA",
                        "usr/local/lib/python3.11/site-packages/six-1.16.0.egg-info/PKG-INFO",
                        "usr/lib/python3/dist-packages/dbus_python-1.3.2.egg-info",
                        "app/.venv/lib/python3.12/site-packages/x-1.dist-info/METADATA"})
    EXPECT_TRUE(a_->Wants(p, Meta(p))) << p;
  for (const char* p : {"usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/RECORD",
                        "usr/lib/python3/dist-packages/x.egg-info/requires.txt", "src/foo.egg-info",
                        "METADATA", "usr/share/doc/METADATA"})
    EXPECT_FALSE(a_->Wants(p, Meta(p))) << p;
}

// The distribution folders Python knows: site.getsitepackages() and Debian's dist-packages.
std::vector<std::string> SiteDirs() {
  std::vector<std::string> dirs;
  if (!HaveCommand("python3")) return dirs;
  std::string out = RunCommand("python3 -c 'import site; print(\"\\n\".join(site.getsitepackages()))' 2>/dev/null");
  std::istringstream ss(out);
  for (std::string line; std::getline(ss, line);)
    if (!line.empty() && std::filesystem::is_directory(line)) dirs.push_back(line);
  for (const char* d : {"/usr/lib/python3/dist-packages", "/usr/local/lib/python3/dist-packages"})
    if (std::filesystem::is_directory(d)) dirs.push_back(d);
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  return dirs;
}

// folder name of the distribution ("PyYAML-6.0.dist-info") -> "name\tversion", as importlib.metadata reads it.
std::map<std::string, std::string> Importlib(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::string out_text = RunCommand(
      "python3 -c 'import sys, importlib.metadata as m\n"
      "for d in m.distributions(path=[sys.argv[1]]):\n"
      "    print(\"%s\\t%s\\t%s\" % (d._path.name, d.metadata[\"Name\"], d.version))' '" + dir + "' 2>/dev/null");
  std::istringstream ss(out_text);
  for (std::string line; std::getline(ss, line);) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

TEST_F(PythonDistTest, MatchesImportlibMetadataOnThisSystem) {
  auto dirs = SiteDirs();
  if (dirs.empty()) GTEST_SKIP() << "no python3 site-packages";
  size_t total = 0;
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    auto expected = Importlib(dir);
    std::map<std::string, std::string> got;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      const std::string folder = e.path().filename().string();
      std::string file;
      if (folder.ends_with(".dist-info") && e.is_directory()) file = e.path().string() + "/METADATA";
      else if (folder.ends_with(".egg-info") && e.is_directory()) file = e.path().string() + "/PKG-INFO";
      else if (folder.ends_with(".egg-info") && e.is_regular_file()) file = e.path().string();
      else continue;
      auto content = ReadFile(file);
      if (!content) continue;
      const std::string rel = file.substr(1);  // normalized: no leading "/"
      ASSERT_TRUE(a_->Wants(rel, Meta(rel))) << rel;
      AnalysisResult r = AnalyzeOne(*a_, rel, *content);
      for (const auto& d : r.diagnostics) ADD_FAILURE() << d.where << ": " << d.message;
      ASSERT_EQ(r.package_dbs.size(), 1u) << rel;
      const PackageDB& db = r.package_dbs[0];
      EXPECT_EQ(db.path, rel);
      EXPECT_EQ(db.type, "pypi");
      ASSERT_EQ(db.packages.size(), 1u);
      const Package& p = db.packages[0];
      EXPECT_EQ(p.type, "pypi");
      EXPECT_EQ(p.db_path, rel);
      EXPECT_EQ(p.extra.at("source"), folder.ends_with(".dist-info") ? "dist-info" : "egg-info");
      got[folder] = p.name + "\t" + p.version;
    }
    EXPECT_EQ(got, expected);
    EXPECT_FALSE(expected.empty());
    total += got.size();
  }
  RecordProperty("distributions", static_cast<int>(total));
}

TEST_F(PythonDistTest, FieldsOfARealisticMetadata) {
  constexpr std::string_view kMeta =
      "Metadata-Version: 2.3\n"
      "Name: requests\n"
      "Version: 2.32.3\n"
      "Summary: Python HTTP for Humans.\n"
      "Author: Kenneth Reitz\n"
      "License: Apache-2.0\n"
      "Classifier: License :: OSI Approved :: Apache Software License\n"
      "Requires-Python: >=3.8\n"
      "Requires-Dist: charset-normalizer<4,>=2\n"
      "Requires-Dist: idna (<4,>=2.5)\n"
      "Requires-Dist: urllib3<3,>=1.21.1\n"
      "Requires-Dist: certifi>=2017.4.17\n"
      "Requires-Dist: PySocks!=1.5.7,>=1.5.6; extra == \"socks\"\n"
      "Requires-Dist: chardet<6,>=3.0.2 ; extra == 'use_chardet_on_py3'\n"
      "Requires-Dist: colorama; sys_platform == \"win32\"\n"
      "Provides-Extra: socks\n"
      "Description-Content-Type: text/markdown\n"
      "\n"
      "# Requests\n"
      "Name: not-a-header\n";
  constexpr std::string_view kPath = "usr/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA";
  AnalysisResult r = AnalyzeOne(*a_, kPath, kMeta);
  EXPECT_TRUE(r.diagnostics.empty());
  ASSERT_EQ(r.package_dbs.size(), 1u);
  ASSERT_EQ(r.package_dbs[0].packages.size(), 1u);
  const Package& p = r.package_dbs[0].packages[0];
  EXPECT_EQ(p.name, "requests");
  EXPECT_EQ(p.version, "2.32.3");
  EXPECT_EQ(p.licenses, std::vector<std::string>{"Apache-2.0"});
  EXPECT_EQ(p.depends, (std::vector<std::string>{"charset-normalizer", "idna", "urllib3", "certifi", "colorama"}));
  EXPECT_EQ(p.extra.at("source"), "dist-info");
  EXPECT_EQ(p.db_path, kPath);
}

TEST_F(PythonDistTest, LicensePrecedence) {
  auto lic = [&](std::string_view headers) {
    std::string doc = "Name: x\nVersion: 1\n" + std::string(headers);
    AnalysisResult r = AnalyzeOne(*a_, "x-1.dist-info/METADATA", doc);
    return r.package_dbs.at(0).packages.at(0).licenses;
  };
  EXPECT_EQ(lic("License-Expression: MIT OR Apache-2.0\nLicense: BSD\n"),
            std::vector<std::string>{"MIT OR Apache-2.0"});
  EXPECT_EQ(lic("License: BSD\nClassifier: License :: OSI Approved :: MIT License\n"),
            std::vector<std::string>{"BSD"});
  EXPECT_EQ(lic("License: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\n"
                "Classifier: License :: OSI Approved\nClassifier: License :: Public Domain\n"),
            (std::vector<std::string>{"MIT License", "Public Domain"}));
  // A license text pasted into the field (continuation lines): the classifiers say it better.
  EXPECT_EQ(lic("License: Copyright (c) 2020 Someone\n        Permission is hereby granted\n"
                "Classifier: License :: OSI Approved :: MIT License\n"),
            std::vector<std::string>{"MIT License"});
  EXPECT_EQ(lic("License: Copyright (c) 2020 Someone\n        Permission is hereby granted\n"),
            std::vector<std::string>{"Copyright (c) 2020 Someone"});
  EXPECT_TRUE(lic("").empty());
}

TEST_F(PythonDistTest, HeaderParserEdges) {
  // CRLF, continuation lines, case-insensitive names, a BOM.
  AnalysisResult r = AnalyzeOne(*a_, "a.egg-info/PKG-INFO",
                                "\xEF\xBB\xBFMetadata-Version: 1.0\r\nname: Foo.Bar\r\nVERSION: 0.1\r\n"
                                "Description: long\r\n  text\r\n");
  EXPECT_TRUE(r.diagnostics.empty());
  const Package& p = r.package_dbs.at(0).packages.at(0);
  EXPECT_EQ(p.name, "Foo.Bar");
  EXPECT_EQ(p.version, "0.1");
  EXPECT_EQ(p.extra.at("source"), "egg-info");

  // A non-header line ends the headers (as Python's email parser does): Version comes too late.
  r = AnalyzeOne(*a_, "a.dist-info/METADATA", "Name: a\nthis is not a header\nVersion: 1\n");
  EXPECT_TRUE(r.package_dbs.empty());
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_NE(r.diagnostics[0].message.find("line 2"), std::string::npos);
  EXPECT_NE(r.diagnostics[1].message.find("Version"), std::string::npos);

  for (std::string_view bad : {std::string_view(""), std::string_view("\n\n"), std::string_view(" cont\n"),
                               std::string_view("Version: 1\n"), std::string_view("\0\xff:", 3)}) {
    r = AnalyzeOne(*a_, "a.dist-info/METADATA", bad);
    EXPECT_TRUE(r.package_dbs.empty());
    EXPECT_FALSE(r.diagnostics.empty());
  }
}

}  // namespace
}  // namespace customs
