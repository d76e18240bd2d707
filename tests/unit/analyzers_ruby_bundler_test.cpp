// ruby_bundler: Gemfile.lock (as Bundler 2.3 writes it) and RubyGems-generated gemspecs.
#include <gtest/gtest.h>

#include "analyzers_test_util.h"

namespace customs {
std::unique_ptr<Analyzer> Make_ruby_bundler();
}

namespace customs::analyzers_test {
namespace {

constexpr std::string_view kLock = R"(GIT
  remote: https://github.com/rails/sprockets-rails.git
  revision: 2b6cbb7d1f1d3a8b0a9e8a6fd9c1c8a1d4c7f1a2
  specs:
    sprockets-rails (3.4.2)
      actionpack (>= 5.2)

GEM
  remote: https://rubygems.org/
  specs:
    actionpack (7.0.4)
      actionview (= 7.0.4)
      rack (~> 2.0, >= 2.2.0)
    actionview (7.0.4)
    nokogiri (1.13.10-x86_64-linux)
      racc (~> 1.4)
    rack (2.2.4)
    racc (1.6.1)
    rspec (3.12.0)
    broken line here

PLATFORMS
  x86_64-linux

DEPENDENCIES
  actionpack (~> 7.0)
  nokogiri
  rspec
  sprockets-rails!

BUNDLED WITH
   2.3.26
)";

TEST(RubyBundler, Wants) {
  auto a = Make_ruby_bundler();
  EXPECT_TRUE(a->Wants("app/Gemfile.lock", Meta("x")));
  EXPECT_TRUE(a->Wants("usr/local/bundle/specifications/rake-13.0.6.gemspec", Meta("x")));
  EXPECT_FALSE(a->Wants("app/rake.gemspec", Meta("x")));
  EXPECT_FALSE(a->Wants("app/Gemfile", Meta("x")));
}

TEST(RubyBundler, GemfileLock) {
  auto a = Make_ruby_bundler();
  AnalysisResult r = AnalyzeOne(*a, "app/Gemfile.lock", kLock);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& db = r.package_dbs[0];
  EXPECT_EQ(db.type, "gem");
  ASSERT_EQ(db.packages.size(), 7u);
  const Package* ap = FindPackage(db.packages, "actionpack");
  ASSERT_NE(ap, nullptr);
  EXPECT_EQ(ap->version, "7.0.4");
  EXPECT_EQ(ap->depends, (std::vector<std::string>{"actionview@7.0.4", "rack@2.2.4"}));  // the lock's specs
  EXPECT_EQ(ap->extra.at("direct"), "true");
  const Package* nk = FindPackage(db.packages, "nokogiri");
  ASSERT_NE(nk, nullptr);
  EXPECT_EQ(nk->version, "1.13.10");
  EXPECT_EQ(nk->extra.at("platform"), "x86_64-linux");
  EXPECT_EQ(FindPackage(db.packages, "rack")->extra.at("direct"), "false");
  const Package* sr = FindPackage(db.packages, "sprockets-rails");
  ASSERT_NE(sr, nullptr);
  EXPECT_EQ(sr->extra.at("source"), "GIT");
  EXPECT_EQ(sr->extra.at("direct"), "true");
  EXPECT_EQ(sr->depends, std::vector<std::string>{"actionpack@7.0.4"});  // across source sections
  EXPECT_EQ(nk->depends, std::vector<std::string>{"racc@1.6.1"});
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("line 20"), std::string::npos);
}

TEST(RubyBundler, Gemspec) {
  constexpr std::string_view kSpec = R"(# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"

  s.required_rubygems_version = Gem::Requirement.new(">= 1.3.2".freeze) if s.respond_to? :required_rubygems_version=
  s.metadata = { "bug_tracker_uri" => "https://github.com/ruby/rake/issues" } if s.respond_to? :metadata=
  s.require_paths = ["lib".freeze]
  s.authors = ["Hiroshi SHIBATA".freeze, "Eric Hodel".freeze, "Jim Weirich".freeze]
  s.licenses = ["MIT".freeze]
  s.rubygems_version = "3.3.26".freeze
  s.summary = "Rake is a Make-like program implemented in Ruby".freeze

  s.installed_by_version = "3.3.26" if s.respond_to? :installed_by_version
end
)";
  auto a = Make_ruby_bundler();
  AnalysisResult r = AnalyzeOne(*a, "usr/local/bundle/specifications/rake-13.0.6.gemspec", kSpec);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  ASSERT_EQ(r.package_dbs[0].packages.size(), 1u);
  const Package& p = r.package_dbs[0].packages[0];
  EXPECT_EQ(p.name, "rake");
  EXPECT_EQ(p.version, "13.0.6");
  EXPECT_EQ(p.licenses, (std::vector<std::string>{"MIT"}));
  EXPECT_EQ(p.extra.at("source"), "gemspec");  // an installed gem: the reports group these as "Ruby"
  EXPECT_TRUE(r.diagnostics.empty());
  AnalysisResult bad = AnalyzeOne(*a, "specifications/x.gemspec", "Gem::Specification.new do |s|\nend\n");
  EXPECT_TRUE(bad.package_dbs[0].packages.empty());
  EXPECT_EQ(bad.diagnostics.size(), 1u);
}

}  // namespace
}  // namespace customs::analyzers_test
