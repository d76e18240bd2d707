// Cargo.lock (TOML, read with toml++): every crate of the resolved dependency graph, as Cargo writes
// it (lock file versions 1 to 4): "[[package]]" tables with name, version, source
// ("registry+https://github.com/rust-lang/crates.io-index", "git+URL#REV", none for workspace
// members), checksum (v2+; v1 keeps them in a [metadata] table) and dependencies ("name",
// "name version" or "name version (source)"). Reported as PackageDB{path, "cargo"}; workspace members
// (no source) carry extra "workspace" = "true". Dependencies are pinned to "name@version"
// (core/types.h): Cargo writes the version whenever the lock holds several of the name, and the name
// alone when it holds one, whose version is then the one used.
#include <memory>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "analyzers/analyzer.h"
#include "analyzers/depends_util.h"
#include "analyzers/text_util.h"

namespace customs {

void ParseCargoLock(std::string_view path, std::string_view content, AnalysisResult& out) {
  const std::string p(path);
  toml::table doc;
  try {
    doc = toml::parse(content, p);
  } catch (const toml::parse_error& e) {
    out.diagnostics.push_back({p, std::string("invalid TOML: ") + std::string(e.description())});
    return;
  }
  PackageDB db{p, "cargo", {}};
  const toml::node_view<toml::node> pkgs_node = doc["package"];
  const toml::array* pkgs = pkgs_node.as_array();
  if (!pkgs) {
    if (pkgs_node) out.diagnostics.push_back({p, "\"package\" is not an array of tables"});
    out.package_dbs.push_back(std::move(db));
    return;
  }
  size_t bad = 0;
  for (size_t i = 0; i < pkgs->size(); ++i) {
    const toml::table* t = pkgs->get(i)->as_table();
    if (!t) {
      ++bad;
      continue;
    }
    auto name = (*t)["name"].value<std::string>();
    auto version = (*t)["version"].value<std::string>();
    if (!name || !version || name->empty() || version->empty()) {
      ++bad;
      continue;
    }
    Package pkg;
    pkg.type = "cargo";
    pkg.name = *name;
    pkg.version = *version;
    pkg.upstream = pkg.version;
    pkg.src_version = pkg.version;
    pkg.src_upstream = pkg.version;
    pkg.db_path = p;
    if (auto src = (*t)["source"].value<std::string>())
      pkg.extra["source"] = *src;
    else
      pkg.extra["workspace"] = "true";
    if (auto sum = (*t)["checksum"].value<std::string>()) pkg.extra["checksum"] = *sum;
    if (const toml::array* deps = (*t)["dependencies"].as_array()) {
      for (size_t j = 0; j < deps->size(); ++j) {
        auto d = deps->get(j)->value<std::string>();
        if (!d) continue;
        auto words = text::Words(*d);
        if (words.empty()) continue;
        text::PushUnique(pkg.depends, PinnedDepends(words[0], words.size() > 1 ? words[1] : std::string_view()));
      }
    }
    db.packages.push_back(std::move(pkg));
  }
  LockIndex index;
  for (const auto& pkg : db.packages) index.Add(pkg.name, pkg.version);
  for (auto& pkg : db.packages)
    for (auto& d : pkg.depends)
      if (d.find('@') == std::string::npos) d = index.Pin(d);
  if (bad)
    out.diagnostics.push_back({p, std::to_string(bad) + " [[package]] entr(y/ies) without name or version skipped"});
  out.package_dbs.push_back(std::move(db));
}

namespace {

class CargoLockAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "rust_cargo_lock"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kLang; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    return path == "Cargo.lock" || path.ends_with("/Cargo.lock");
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    ParseCargoLock(in.path, in.content, out);
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_rust_cargo_lock() { return std::make_unique<CargoLockAnalyzer>(); }

}  // namespace customs
