// Issue #4 acceptance (Python): the Python distributions of a real Debian root filesystem through
// `customs rootfs ROOT -f json`, checked against the Python interpreter's own reading of them and
// against ../shared/vulndata/osv-pypi.
//
// The root: `debootstrap --variant=minbase --include=<kPythonPackages> bookworm` (cached as
// "debian-bookworm-python"). The packages were picked among those the PyPA snapshot (2024-10-10) has
// advisories for at versions bookworm ships (requests 2.28.1, urllib3 1.26.12, Jinja2 3.1.2,
// cryptography 38.0.4, Pillow 9.4.0, setuptools 66.1.1, pip 23.0.1, Werkzeug 2.2.2, ...), so the
// findings check is not empty, and python3-redis (4.3.4) because a withdrawn record (PYSEC-2023-73)
// names every redis version; their dependencies bring more (idna, certifi, MarkupSafe, bcrypt,
// PyNaCl, pyparsing, ...). Debian installs them as *.egg-info directories or files (setuptools builds)
// and *.dist-info directories (wheel builds) in usr/lib/python3/dist-packages, so both kinds are
// covered (Debian's python3-cryptography ships both cryptography-38.0.4.dist-info and a stray
// cryptography.egg-info: importlib lists both, so customs must report both). python3-cffi-backend is named because debootstrap does not resolve the virtual packages
// (python3-cffi-backend-api-*) python3-cryptography depends on.
//
// Oracle for the inventory: the host's python3 running importlib.metadata.distributions(path=[DIR])
// over every directory on the root's Python import path, as Debian's python3.11 sets it:
// usr/lib/python3.11 (the standard library), usr/lib/python3.11/lib-dynload,
// usr/local/lib/python3.11/dist-packages and usr/lib/python3/dist-packages. The standard library
// carries no distribution metadata (its modules belong to the interpreter, which the dpkg package
// python3.11 accounts for, with its own distribution advisories), so it must contribute nothing: a
// stdlib module reported as a PyPI package would be wrong. Everything importlib finds there, and
// nothing else in the root, must be what customs reports as PyPI packages. Compared as a multiset of
// (name normalized as PEP 503 -- lowercase, runs of '-', '_' and '.' as one '-' --, version exactly as
// importlib.metadata reports it, metadata location: the *.dist-info / *.egg-info path relative to the
// root, which customs' dbPath gives with "/METADATA" or "/PKG-INFO" appended for directories).
//
// Oracle for the findings: a Python script (below) reading every osv-pypi record, keeping those not
// withdrawn whose affected[] names an installed distribution (PEP 503 names), and evaluating their
// ECOSYSTEM ranges (introduced / fixed / last_affected as intervals) and versions lists with pip's
// vendored `packaging` (PEP 440 order). Records sharing an id or alias form one finding, as customs
// groups them; findings are compared as (distribution@version, set of ids: id and aliases), exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;

namespace {

const std::vector<std::string> kPythonPackages = {
    "python3-requests", "python3-urllib3",    "python3-jinja2",   "python3-yaml",   "python3-cryptography",
    "python3-cffi-backend", "python3-pil",    "python3-lxml",     "python3-setuptools", "python3-pip",
    "python3-werkzeug", "python3-pygments",   "python3-paramiko", "python3-httplib2", "python3-babel",
    "python3-redis"};
constexpr const char* kCacheName = "debian-bookworm-python";

// Two modes:
//   list ROOT: the distributions of the root's import path, as JSON [[name, version, location], ...]
//              (location: the metadata directory or file, relative to ROOT);
//   findings OSV_DIR: stdin [[name, version], ...] -> {"findings": {"<pep503 name>@<version>": [[ids],
//              ...]}, "withdrawn": {"<pep503 name>@<version>": [ids of withdrawn records that would match]}}.
const char* kPythonOracle = R"PY(
import glob, importlib.metadata, json, os, re, sys

def pep503(name):
    return re.sub(r'[-_.]+', '-', name).lower()

def list_root(root):
    dirs = []
    for pattern in ('usr/lib/python3.*', 'usr/lib/python3.*/lib-dynload',
                    'usr/local/lib/python3.*/dist-packages', 'usr/lib/python3/dist-packages'):
        dirs += sorted(d for d in glob.glob(os.path.join(root, pattern)) if os.path.isdir(d))
    out = []
    for d in dirs:
        for dist in importlib.metadata.distributions(path=[d]):
            # PathDistribution keeps the metadata path in _path (stable since Python 3.8).
            loc = os.path.relpath(str(dist._path), root)
            out.append([dist.metadata['Name'], dist.version, loc])
    return {'dirs': [os.path.relpath(d, root) for d in dirs], 'dists': out}

def findings(osv_dir, wanted):
    import yaml
    from pip._vendor.packaging.version import Version, InvalidVersion

    def ver(s):
        try:
            return Version(s)
        except InvalidVersion:
            return None

    def affected(entry, v):
        pv = ver(v)
        if pv is None:
            return False
        for x in entry.get('versions') or []:
            if ver(str(x)) == pv:
                return True
        for r in entry.get('ranges') or []:
            if r.get('type') != 'ECOSYSTEM':
                continue  # GIT ranges name commits, not releases
            evs = r.get('events') or []
            for e in evs:
                if 'introduced' not in e:
                    continue
                lo = None if str(e['introduced']) == '0' else ver(str(e['introduced']))
                if lo is None and str(e['introduced']) != '0':
                    continue
                # The interval closes at the lowest fixed (exclusive) / last_affected (inclusive)
                # at or above its start.
                end = None
                for f in evs:
                    k = 'fixed' if 'fixed' in f else 'last_affected' if 'last_affected' in f else None
                    if not k:
                        continue
                    fv = ver(str(f[k]))
                    if fv is None or (lo is not None and fv < lo):
                        continue
                    if end is None or fv < end[1]:
                        end = (k, fv)
                if lo is not None and pv < lo:
                    continue
                if end is None or pv < end[1] or (end[0] == 'last_affected' and pv == end[1]):
                    return True
        return False

    names = {pep503(n) for n, _ in wanted}
    records = []
    for path in sorted(glob.glob(os.path.join(osv_dir, '*', '*.yaml'))):
        with open(path) as fh:
            d = yaml.safe_load(fh)
        if not isinstance(d, dict):
            continue
        for a in d.get('affected') or []:
            p = a.get('package') or {}
            if p.get('ecosystem') == 'PyPI' and pep503(p.get('name', '')) in names:
                records.append((d, a))
    out, withdrawn = {}, {}
    for name, version in wanted:
        hits = {}
        for d, a in records:
            if pep503(a['package']['name']) == pep503(name) and affected(a, version):
                if d.get('withdrawn'):
                    withdrawn.setdefault(pep503(name) + '@' + version, []).append(d['id'])
                    continue
                hits.setdefault(d['id'], {d['id']} | set(d.get('aliases') or []))
        groups = []
        for ids in hits.values():
            merged, rest = set(ids), []
            for g in groups:
                if g & merged:
                    merged |= g
                else:
                    rest.append(g)
            groups = rest + [merged]
        out[pep503(name) + '@' + version] = sorted(sorted(g) for g in groups)
    return {'findings': out, 'withdrawn': withdrawn}

if sys.argv[1] == 'list':
    print(json.dumps(list_root(sys.argv[2])))
else:
    print(json.dumps(findings(sys.argv[2], json.load(sys.stdin))))
)PY";

std::string Pep503(const std::string& name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out += '-';
    sep = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Str(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// Runs the oracle script; the parsed JSON, or null with `*why`.
nlohmann::json Oracle(const std::vector<std::string>& args, const std::string& stdin_data, std::string* why) {
  ct::TempDir tmp("customs-lang-python-oracle");
  ct::WriteFile(tmp / "oracle.py", kPythonOracle);
  std::vector<std::string> argv = {"python3", tmp / "oracle.py"};
  argv.insert(argv.end(), args.begin(), args.end());
  ct::RunOptions o;
  o.stdin_data = stdin_data;
  ct::RunResult r = ct::Run(argv, o);
  if (r.exit_code != 0) {
    *why = "oracle (python3 with python3-pip and python3-yaml): " + r.Describe();
    return nullptr;
  }
  std::string err;
  nlohmann::json j = ct::ParseJson(r.out, &err);
  if (j.is_null()) *why = "oracle output is not JSON: " + err;
  return j;
}

nlohmann::json Scan(const std::vector<std::string>& args, std::string* why) {
  ct::RunResult r = ct::RunCustoms(args);
  if (r.exit_code != 0) {
    *why = "customs: " + r.Describe();
    return nullptr;
  }
  std::string err;
  nlohmann::json j = ct::ParseJson(r.out, &err);
  if (j.is_null()) *why = "report is not JSON: " + err;
  return j;
}

// Every PyPI package of a report (lang-pkgs targets of type pypi).
std::vector<nlohmann::json> PypiPackages(const nlohmann::json& report) {
  std::vector<nlohmann::json> out;
  for (const auto& t : report["targets"])
    if (Str(t, "class") == "lang-pkgs" && Str(t, "type") == "pypi")
      for (const auto& p : t["packages"]) out.push_back(p);
  return out;
}

// The metadata location a package was read from: dbPath without the file inside a metadata directory.
std::string MetadataLocation(const std::string& db_path) {
  for (const char* f : {"/METADATA", "/PKG-INFO"}) {
    const std::string suffix = f;
    if (db_path.size() > suffix.size() && db_path.compare(db_path.size() - suffix.size(), suffix.size(), suffix) == 0)
      return db_path.substr(0, db_path.size() - suffix.size());
  }
  return db_path;
}

std::string Join(const std::multiset<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += "\n    " + x;
  return out;
}

}  // namespace

TEST(LangPython, DistPackagesMatchImportlibMetadata) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root, kPythonPackages, kCacheName);
  std::string why;
  nlohmann::json oracle = Oracle({"list", root}, "", &why);
  ASSERT_TRUE(oracle.is_object()) << why;
  nlohmann::json report = Scan({"rootfs", root, "-f", "json", "-q", "--scanners", "none"}, &why);
  ASSERT_TRUE(report.is_object()) << why;

  std::multiset<std::string> want, got;
  size_t egg = 0, dist = 0;
  for (const auto& d : oracle["dists"]) {
    const std::string loc = d[2].get<std::string>();
    want.insert(Pep503(d[0].get<std::string>()) + " " + d[1].get<std::string>() + " " + loc);
    (loc.find(".egg-info") != std::string::npos ? egg : dist)++;
    EXPECT_EQ(loc.rfind("usr/lib/python3/dist-packages/", 0), 0u) << loc << ": outside dist-packages";
  }
  for (const auto& p : PypiPackages(report))
    got.insert(Pep503(Str(p, "name")) + " " + Str(p, "version") + " " + MetadataLocation(Str(p, "dbPath")));

  std::multiset<std::string> missing, extra;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::inserter(missing, missing.end()));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::inserter(extra, extra.end()));
  EXPECT_TRUE(missing.empty() && extra.empty())
      << "importlib.metadata found " << want.size() << " distributions in " << oracle["dirs"].dump()
      << ", customs reports " << got.size() << "\n  missing from customs:" << Join(missing)
      << "\n  customs extra:" << Join(extra);
  // Both metadata kinds are there (else the comparison covers less than it claims), and every
  // package asked for is (python3-pil installs Pillow, python3-yaml PyYAML, ...).
  EXPECT_GT(egg, 5u);
  EXPECT_GT(dist, 2u);
  EXPECT_GE(want.size(), kPythonPackages.size());
}

TEST(LangPython, FindingsMatchOsvPypi) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root, kPythonPackages, kCacheName);
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  std::string why;
  nlohmann::json listing = Oracle({"list", root}, "", &why);
  ASSERT_TRUE(listing.is_object()) << why;
  nlohmann::json wanted = nlohmann::json::array();
  for (const auto& d : listing["dists"]) wanted.push_back({d[0], d[1]});
  nlohmann::json oracle = Oracle({"findings", ct::SharedDir() + "/vulndata/osv-pypi"}, wanted.dump(), &why);
  ASSERT_TRUE(oracle.is_object()) << why;
  nlohmann::json report = Scan({"rootfs", root, "-f", "json", "-q", "--db", db}, &why);
  ASSERT_TRUE(report.is_object()) << why;

  auto key = [](const std::string& pkg, const std::set<std::string>& ids) {
    std::string k = pkg + ":";
    for (const auto& id : ids) k += " " + id;
    return k;
  };
  std::multiset<std::string> want, got;
  std::set<std::string> affected_packages;
  // Per installed distribution (the same one installed twice would be two packages, two findings).
  for (const auto& d : listing["dists"]) {
    const std::string pkg = Pep503(d[0].get<std::string>()) + "@" + d[1].get<std::string>();
    for (const auto& g : oracle["findings"][pkg]) {
      want.insert(key(pkg, g.get<std::set<std::string>>()));
      affected_packages.insert(pkg);
    }
  }
  for (const auto& p : PypiPackages(report)) {
    const std::string pkg = Pep503(Str(p, "name")) + "@" + Str(p, "version");
    for (const auto& v : p.value("vulnerabilities", nlohmann::json::array())) {
      std::set<std::string> ids = {Str(v, "id")};
      for (const auto& a : v["aliases"]) ids.insert(a.get<std::string>());
      got.insert(key(pkg, ids));
    }
  }
  std::multiset<std::string> missing, extra;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::inserter(missing, missing.end()));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::inserter(extra, extra.end()));
  EXPECT_TRUE(missing.empty() && extra.empty())
      << want.size() << " expected findings, " << got.size() << " reported\n  missing from customs:" << Join(missing)
      << "\n  customs extra:" << Join(extra);
  // Not vacuous: the snapshot has advisories for several of these versions.
  EXPECT_GE(affected_packages.size(), 5u);
  EXPECT_GE(want.size(), 15u);

  // A withdrawn OSV record (field `withdrawn`: the advisory was retracted, e.g. PYSEC-2023-73 for
  // redis, a Redis server crash filed against the Python client) must not be reported. The exact
  // comparison above already counts such a finding as extra; this names the cause.
  const nlohmann::json withdrawn = oracle["withdrawn"];
  EXPECT_FALSE(withdrawn.empty()) << "no withdrawn record matches an installed version: this check tests nothing";
  for (const auto& p : PypiPackages(report)) {
    const std::string pkg = Pep503(Str(p, "name")) + "@" + Str(p, "version");
    if (!withdrawn.contains(pkg)) continue;
    const auto gone = withdrawn[pkg].get<std::set<std::string>>();
    for (const auto& v : p.value("vulnerabilities", nlohmann::json::array())) {
      std::set<std::string> ids = {Str(v, "id")};
      for (const auto& a : v["aliases"]) ids.insert(a.get<std::string>());
      for (const auto& id : ids)
        EXPECT_FALSE(gone.count(id)) << pkg << ": finding " << Str(v, "id") << " comes from the withdrawn record " << id;
    }
  }
}
