// go_mod analyzer: require lines and blocks, // indirect, replace directives, go/toolchain lines.
#include <gtest/gtest.h>

#include "analyzers_test_util.h"

namespace customs {
namespace {

using namespace analyzers_test;

constexpr std::string_view kGoMod = R"GOMOD(// a comment
module github.com/example/app

go 1.21

toolchain go1.21.5

require github.com/gin-gonic/gin v1.9.0

require (
	golang.org/x/net v0.17.0
	golang.org/x/text v0.13.0 // indirect
	github.com/old/lib v1.0.0
	github.com/local/lib v0.2.0 // indirect; for tests
	"github.com/quoted/mod" v0.0.0-20230101000000-abcdefabcdef
)

exclude golang.org/x/net v0.1.0

replace github.com/old/lib v1.0.0 => github.com/new/lib v1.0.5

replace (
	github.com/local/lib => ../lib
)

retract [v0.1.0, v0.1.5]
)GOMOD";

TEST(GoModTest, Parse) {
  auto a = MakeAnalyzer("go_mod");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->Wants("go.mod", Meta("go.mod")));
  EXPECT_TRUE(a->Wants("src/app/go.mod", Meta("src/app/go.mod")));
  EXPECT_FALSE(a->Wants("src/app/vendor/x/go.mod", Meta("x")));
  EXPECT_FALSE(a->Wants("root/go/pkg/mod/x@v1/go.mod", Meta("x")));
  EXPECT_FALSE(a->Wants("src/app/go.sum", Meta("x")));
  AnalysisResult r = AnalyzeOne(*a, "src/app/go.mod", kGoMod);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& db = r.package_dbs[0];
  EXPECT_EQ(db.type, "golang");
  EXPECT_EQ(db.path, "src/app/go.mod");
  ASSERT_EQ(db.packages.size(), 6u);
  const Package* gin = FindPackage(db.packages, "github.com/gin-gonic/gin");
  ASSERT_NE(gin, nullptr);
  EXPECT_EQ(gin->version, "v1.9.0");
  EXPECT_EQ(gin->extra.at("direct"), "true");
  EXPECT_EQ(gin->extra.at("go"), "1.21");
  EXPECT_EQ(gin->extra.at("toolchain"), "go1.21.5");
  EXPECT_EQ(gin->db_path, "src/app/go.mod");
  EXPECT_EQ(FindPackage(db.packages, "golang.org/x/text")->extra.at("direct"), "false");
  EXPECT_EQ(FindPackage(db.packages, "golang.org/x/net")->extra.at("direct"), "true");
  EXPECT_EQ(FindPackage(db.packages, "github.com/old/lib"), nullptr);
  const Package* nl = FindPackage(db.packages, "github.com/new/lib");
  ASSERT_NE(nl, nullptr);
  EXPECT_EQ(nl->version, "v1.0.5");
  EXPECT_EQ(nl->extra.at("replaces"), "github.com/old/lib");
  const Package* local = FindPackage(db.packages, "github.com/local/lib");
  ASSERT_NE(local, nullptr);
  EXPECT_EQ(local->version, "v0.2.0");
  EXPECT_EQ(local->extra.at("replaced_by"), "../lib");
  EXPECT_EQ(local->extra.at("direct"), "false");
  const Package* q = FindPackage(db.packages, "github.com/quoted/mod");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->version, "v0.0.0-20230101000000-abcdefabcdef");
}

TEST(GoModTest, Malformed) {
  auto a = MakeAnalyzer("go_mod");
  AnalysisResult r = AnalyzeOne(*a, "go.mod", "module x\nrequire onlypath\nfrobnicate y\nrequire (\n a v1\n");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].packages.size(), 1u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("3 malformed"), std::string::npos) << r.diagnostics[0].message;
  for (std::string_view s : {"", "(", ")", "replace =>", "replace a => ", "require (\n)\n)", "\xff\xfe"})
    AnalyzeOne(*a, "go.mod", s);
}

}  // namespace
}  // namespace customs
