// dotnet_nuget: packages.lock.json (NuGet lock file v1) and *.deps.json.
#include <gtest/gtest.h>

#include "analyzers_test_util.h"

namespace customs {
std::unique_ptr<Analyzer> Make_dotnet_nuget();
}

namespace customs::analyzers_test {
namespace {

constexpr std::string_view kLock = R"json({
  "version": 1,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.1, )",
        "resolved": "13.0.1",
        "contentHash": "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A=="
      },
      "Serilog.Sinks.Console": {
        "type": "Direct",
        "requested": "[4.1.0, )",
        "resolved": "4.1.0",
        "contentHash": "K6N5q+5fetjnJPvCmkWOpJ/V8IEIoMIB1s86OzBrbxwTyHxdx3pmz4H+8+O/Dc/ftUX12DM1aynx/dDowkwzqg==",
        "dependencies": {"Serilog": "2.10.0"}
      },
      "Serilog": {
        "type": "Transitive",
        "resolved": "2.10.0",
        "contentHash": "+QX0hmf37a0/OZLxM3wL7V6/ADvC1XihXN4Kq/p6d8lCPfgkRdiuhbWlMaFjR9Av0dy5F0+MBeDmDdRZN/YwQA=="
      },
      "MyCompany.Shared": {"type": "Project"}
    },
    "net7.0": {
      "Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1", "contentHash": "x"},
      "Serilog": {"type": "Transitive", "resolved": "2.10.0", "contentHash": "y"},
      "Broken.Entry": {"type": "Transitive"}
    }
  }
})json";

constexpr std::string_view kDeps = R"json({
  "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0", "signature": ""},
  "compilationOptions": {},
  "targets": {
    ".NETCoreApp,Version=v6.0": {
      "MyApp/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1", "Serilog.Sinks.Console": "4.1.0"}, "runtime": {"MyApp.dll": {}}},
      "Newtonsoft.Json/13.0.1": {"runtime": {"lib/netstandard2.0/Newtonsoft.Json.dll": {"assemblyVersion": "13.0.0.0", "fileVersion": "13.0.1.25517"}}},
      "Serilog/2.10.0": {"runtime": {"lib/net5.0/Serilog.dll": {}}},
      "Serilog.Sinks.Console/4.1.0": {"dependencies": {"Serilog": "2.10.0"}, "runtime": {"lib/net5.0/Serilog.Sinks.Console.dll": {}}}
    }
  },
  "libraries": {
    "MyApp/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Newtonsoft.Json/13.0.1": {
      "type": "package",
      "serviceable": true,
      "sha512": "sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==",
      "path": "newtonsoft.json/13.0.1",
      "hashPath": "newtonsoft.json.13.0.1.nupkg.sha512"
    },
    "Serilog/2.10.0": {"type": "package", "serviceable": true, "sha512": "sha512-x"},
    "Serilog.Sinks.Console/4.1.0": {"type": "package", "serviceable": true, "sha512": "sha512-y"},
    "NoVersion": {"type": "package"}
  }
})json";

TEST(DotnetNuget, Wants) {
  auto a = Make_dotnet_nuget();
  EXPECT_TRUE(a->Wants("src/app/packages.lock.json", Meta("x")));
  EXPECT_TRUE(a->Wants("app/MyApp.deps.json", Meta("x")));
  EXPECT_FALSE(a->Wants("app/.deps.json", Meta("x")));
  EXPECT_FALSE(a->Wants("app/package-lock.json", Meta("x")));
}

TEST(DotnetNuget, PackagesLock) {
  auto a = Make_dotnet_nuget();
  AnalysisResult r = AnalyzeOne(*a, "src/app/packages.lock.json", kLock);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pk = r.package_dbs[0].packages;
  EXPECT_EQ(r.package_dbs[0].type, "nuget");
  ASSERT_EQ(pk.size(), 3u);  // merged across frameworks; Project and broken entries skipped
  const Package* nj = FindPackage(pk, "Newtonsoft.Json");
  ASSERT_NE(nj, nullptr);
  EXPECT_EQ(nj->version, "13.0.1");
  EXPECT_EQ(nj->extra.at("direct"), "true");
  EXPECT_EQ(nj->extra.at("frameworks"), "net6.0,net7.0");
  EXPECT_EQ(FindPackage(pk, "Serilog")->extra.at("direct"), "false");
  // Pinned to what the framework resolved (the entry says "2.10.0" as the lowest version it accepts).
  EXPECT_EQ(FindPackage(pk, "Serilog.Sinks.Console")->depends, (std::vector<std::string>{"Serilog@2.10.0"}));
  EXPECT_EQ(r.diagnostics.size(), 1u);
}

// NuGet ids are case-insensitive: one package locked under two spellings is one package, named as
// the lockfile first writes it (the database matches it whatever the advisory's spelling).
TEST(DotnetNuget, PackagesLockIdsAreCaseInsensitive) {
  auto a = Make_dotnet_nuget();
  AnalysisResult r = AnalyzeOne(*a, "packages.lock.json", R"json({"version": 1, "dependencies": {
    "net6.0": {"newtonsoft.json": {"type": "Direct", "requested": "[12.0.3, )", "resolved": "12.0.3", "contentHash": "x"}},
    "net7.0": {"Newtonsoft.Json": {"type": "Transitive", "resolved": "12.0.3", "contentHash": "x"}}}})json");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pk = r.package_dbs[0].packages;
  ASSERT_EQ(pk.size(), 1u);
  EXPECT_EQ(pk[0].name, "newtonsoft.json");
  EXPECT_EQ(pk[0].extra.at("frameworks"), "net6.0,net7.0");
  EXPECT_EQ(pk[0].extra.at("direct"), "true");
}

TEST(DotnetNuget, DepsJson) {
  auto a = Make_dotnet_nuget();
  AnalysisResult r = AnalyzeOne(*a, "app/MyApp.deps.json", kDeps);
  const auto& pk = r.package_dbs[0].packages;
  ASSERT_EQ(pk.size(), 3u);
  const Package* nj = FindPackage(pk, "Newtonsoft.Json");
  ASSERT_NE(nj, nullptr);
  EXPECT_EQ(nj->version, "13.0.1");
  EXPECT_TRUE(nj->depends.empty());
  // "targets" give each library's dependencies at their exact versions.
  EXPECT_EQ(FindPackage(pk, "Serilog.Sinks.Console")->depends, std::vector<std::string>{"Serilog@2.10.0"});
  EXPECT_EQ(r.diagnostics.size(), 1u);  // "NoVersion"
}

TEST(DotnetNuget, Malformed) {
  auto a = Make_dotnet_nuget();
  for (std::string_view junk : {"", "{", "[]", "{\"dependencies\": []}", "{\"dependencies\": {\"net6.0\": 1}}"}) {
    AnalysisResult r = AnalyzeOne(*a, "packages.lock.json", junk);
    ASSERT_EQ(r.package_dbs.size(), 1u);
    EXPECT_TRUE(r.package_dbs[0].packages.empty());
    EXPECT_FALSE(r.diagnostics.empty()) << junk;
    AnalysisResult d = AnalyzeOne(*a, "x.deps.json", junk);
    EXPECT_FALSE(d.diagnostics.empty()) << junk;
  }
}

}  // namespace
}  // namespace customs::analyzers_test
