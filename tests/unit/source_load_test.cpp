// Loading image archives (docker-archive, OCI layouts; tar or directory), root filesystems and
// directories. The inputs are built here with libarchive's write API in a temporary directory; the
// first layer is the real Alpine 3.9.6 mini rootfs from shared/images.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "core/error.h"
#include "core/sha256.h"
#include "source/source.h"
#include "source/store.h"

namespace customs {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const char* const kAlpine = CUSTOMS_SOURCE_DIR "/../shared/images/alpine-minirootfs-3.9.6-x86_64.tar.gz";

// ---- building archives -------------------------------------------------------------------------

struct Entry {
  Entry(std::string n, std::string d = "", char t = 'f', std::string l = "")
      : name(std::move(n)), data(std::move(d)), type(t), link(std::move(l)) {}
  std::string name;
  std::string data;
  char type = 'f';  // 'f' file, 'd' directory, 'l' symlink, 'h' hard link
  std::string link;
};

enum class Filter { kNone, kGzip, kZstd };

la_ssize_t AppendCb(archive*, void* ctx, const void* buf, size_t n) {
  static_cast<std::string*>(ctx)->append(static_cast<const char*>(buf), n);
  return la_ssize_t(n);
}

void AddFilter(archive* a, Filter f) {
  if (f == Filter::kGzip) ASSERT_EQ(archive_write_add_filter_gzip(a), ARCHIVE_OK);
  if (f == Filter::kZstd) ASSERT_EQ(archive_write_add_filter_zstd(a), ARCHIVE_OK);
}

std::string MakeTar(const std::vector<Entry>& entries, Filter filter = Filter::kNone) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  AddFilter(a, filter);
  archive_write_set_bytes_in_last_block(a, 1);
  EXPECT_EQ(archive_write_open(a, &out, nullptr, AppendCb, nullptr), ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.name.c_str());
    archive_entry_set_mtime(ae, 1700000000, 0);
    switch (e.type) {
      case 'd':
        archive_entry_set_filetype(ae, AE_IFDIR);
        archive_entry_set_perm(ae, 0755);
        break;
      case 'l':
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_perm(ae, 0777);
        archive_entry_set_symlink(ae, e.link.c_str());
        break;
      case 'h':
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_hardlink(ae, e.link.c_str());
        archive_entry_set_size(ae, 0);
        break;
      default:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_size(ae, la_int64_t(e.data.size()));
    }
    EXPECT_EQ(archive_write_header(a, ae), ARCHIVE_OK) << archive_error_string(a);
    if (e.type == 'f' && !e.data.empty())
      EXPECT_EQ(archive_write_data(a, e.data.data(), e.data.size()), la_ssize_t(e.data.size()));
    archive_entry_free(ae);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
  return out;
}

// Compresses bytes as they are (libarchive's raw format: one stream, no tar around it).
std::string Compress(const std::string& data, Filter filter) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  AddFilter(a, filter);
  archive_write_set_bytes_in_last_block(a, 1);
  EXPECT_EQ(archive_write_open(a, &out, nullptr, AppendCb, nullptr), ARCHIVE_OK);
  archive_entry* ae = archive_entry_new();
  archive_entry_set_pathname(ae, "data");
  archive_entry_set_filetype(ae, AE_IFREG);
  archive_entry_set_size(ae, la_int64_t(data.size()));
  EXPECT_EQ(archive_write_header(a, ae), ARCHIVE_OK);
  EXPECT_EQ(archive_write_data(a, data.data(), data.size()), la_ssize_t(data.size()));
  archive_entry_free(ae);
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
  return out;
}

// The entries of the Alpine mini rootfs, content included.
std::vector<Entry> ReadTarEntries(const std::string& path) {
  std::vector<Entry> out;
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  EXPECT_EQ(archive_read_open_filename(a, path.c_str(), 1 << 16), ARCHIVE_OK);
  archive_entry* ae;
  while (archive_read_next_header(a, &ae) == ARCHIVE_OK) {
    Entry e(archive_entry_pathname(ae));
    if (const char* h = archive_entry_hardlink(ae)) {
      e.type = 'h';
      e.link = h;
    } else if (archive_entry_filetype(ae) == AE_IFDIR) {
      e.type = 'd';
    } else if (archive_entry_filetype(ae) == AE_IFLNK) {
      e.type = 'l';
      e.link = archive_entry_symlink(ae);
    } else if (archive_entry_filetype(ae) == AE_IFREG) {
      e.data.resize(size_t(archive_entry_size(ae)));
      if (!e.data.empty()) archive_read_data(a, e.data.data(), e.data.size());
    } else {
      continue;
    }
    out.push_back(std::move(e));
  }
  archive_read_free(a);
  return out;
}

void WriteFile(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f.write(data.data(), std::streamsize(data.size()));
  ASSERT_TRUE(f.good()) << p;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// Lays members out as files (directories and symlinks too) below `root`.
void WriteTree(const fs::path& root, const std::vector<Entry>& entries) {
  fs::create_directories(root);
  for (const auto& e : entries) {
    fs::path p = root / e.name;
    if (e.type == 'd') {
      fs::create_directories(p);
    } else if (e.type == 'l') {
      fs::create_directories(p.parent_path());
      fs::create_symlink(e.link, p);
    } else if (e.type == 'f') {
      WriteFile(p, e.data);
    }
  }
}

std::string Hex(const std::string& digest) { return digest.substr(7); }

void Put(std::vector<Entry>& entries, const std::string& name, const std::string& data) {
  for (auto& e : entries)
    if (e.name == name) {
      e = Entry{name, data};
      return;
    }
  entries.push_back(Entry{name, data});
}

const std::string& Get(const std::vector<Entry>& entries, const std::string& name) {
  for (const auto& e : entries)
    if (e.name == name) return e.data;
  static const std::string none;
  ADD_FAILURE() << "no member " << name;
  return none;
}

void Remove(std::vector<Entry>& entries, const std::string& name) {
  std::erase_if(entries, [&](const Entry& e) { return e.name == name; });
}

template <class F>
std::string ErrorOf(F&& f, ExitCode code) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "in: " << (haystack)

// Streams one layer: every path, the content of the `wanted` files, and the stream's statistics.
struct LayerContent {
  std::set<std::string> paths;
  std::map<std::string, std::string> files;
  StreamStats stats;
};

LayerContent ReadLayer(const LayerSource& layer, const std::set<std::string>& wanted = {}) {
  LayerContent out;
  auto s = layer.Open();
  RawEntry e;
  while (s->Next(e)) {
    std::string p = e.path;
    while (p.rfind("./", 0) == 0) p = p.substr(2);
    if (!p.empty() && p.back() == '/') p.pop_back();
    out.paths.insert(p);
    if (wanted.count(p)) {
      std::string data;
      for (auto b = s->ReadBlock(); !b.empty(); b = s->ReadBlock()) data.append(b.data(), b.size());
      out.files[p] = data;
    }
  }
  out.stats = s->Finish();
  return out;
}

// ---- the images ----------------------------------------------------------------------------------

struct Layers {
  bool ok = false;
  std::string alpine;       // uncompressed tar of the Alpine rootfs
  std::string small;        // a second, small layer
  std::string alpine_diff, small_diff;
};

const Layers& TestLayers() {
  static const Layers layers = [] {
    Layers l;
    if (!fs::exists(kAlpine)) return l;
    l.alpine = MakeTar(ReadTarEntries(kAlpine));
    l.small = MakeTar({{"etc/", "", 'd'}, {"etc/motd", "scanned by customs\n"}, {"etc/.wh.issue", ""},
                       {"usr/local/bin/tool", "#!/bin/sh\necho tool\n"}});
    l.alpine_diff = Sha256::Of(l.alpine);
    l.small_diff = Sha256::Of(l.small);
    l.ok = !l.alpine.empty();
    return l;
  }();
  return layers;
}

std::string ConfigJson(const std::string& arch, const std::string& variant, const std::vector<std::string>& diff_ids) {
  json c = {{"architecture", arch},
            {"os", "linux"},
            {"created", "2024-01-02T03:04:05Z"},
            {"config", {{"Env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}}, {"Cmd", {"/bin/sh"}}}},
            {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
            {"history",
             {{{"created", "2024-01-01T00:00:00Z"}, {"created_by", "/bin/sh -c #(nop) ADD file:alpine in / "}},
              {{"created_by", "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]"}, {"empty_layer", true}},
              {{"created_by", "COPY motd /etc/motd # buildkit"}}}}};
  if (!variant.empty()) c["variant"] = variant;
  return c.dump();
}

const std::string kId0 = std::string(64, '1'), kId1 = std::string(64, '2');

struct DockerArchive {
  std::vector<Entry> members;
  std::string config, image_id;
};

// The pre-v25 `docker save` layout: <config hex>.json, <id>/layer.tar, manifest.json, repositories.
DockerArchive MakeDockerArchive() {
  const Layers& l = TestLayers();
  DockerArchive d;
  d.config = ConfigJson("amd64", "", {l.alpine_diff, l.small_diff});
  d.image_id = Sha256::Of(d.config);
  json manifest = json::array({{{"Config", Hex(d.image_id) + ".json"},
                                {"RepoTags", {"example.com/alpine:3.9", "alpine:latest"}},
                                {"Layers", {kId0 + "/layer.tar", kId1 + "/layer.tar"}}}});
  d.members = {{kId0 + "/", "", 'd'},
               {kId0 + "/VERSION", "1.0"},
               {kId0 + "/json", "{}"},
               {kId0 + "/layer.tar", l.alpine},
               {kId1 + "/", "", 'd'},
               {kId1 + "/layer.tar", l.small},
               {Hex(d.image_id) + ".json", d.config},
               {"manifest.json", manifest.dump()},
               {"repositories", R"({"example.com/alpine":{"3.9":")" + kId1 + R"("}})"}};
  return d;
}

json Desc(const std::string& media_type, const std::string& bytes) {
  return {{"mediaType", media_type}, {"digest", Sha256::Of(bytes)}, {"size", bytes.size()}};
}

struct OciImage {
  std::vector<Entry> members;
  std::string index_digest;                         // the image index index.json points to
  std::string amd64_manifest, arm64_manifest;       // digests
  std::string amd64_config, arm64_config;           // digests
  std::string amd64_layers[2], arm64_layers[2];     // digests of the stored blobs
  std::map<std::string, std::string> blobs;         // digest -> bytes
};

struct OciBuilder {
  OciImage img;
  std::string Blob(const std::string& bytes) {
    std::string d = Sha256::Of(bytes);
    if (!img.blobs.count(d)) {
      img.blobs[d] = bytes;
      img.members.push_back({"blobs/sha256/" + Hex(d), bytes});
    }
    return d;
  }
  // One platform's manifest; returns its bytes.
  std::string Manifest(const std::string& arch, const std::string& variant, Filter filter, std::string* config_digest,
                       std::string* layer_digests) {
    const Layers& l = TestLayers();
    std::string config = ConfigJson(arch, variant, {l.alpine_diff, l.small_diff});
    *config_digest = Blob(config);
    const char* mt = filter == Filter::kGzip ? "application/vnd.oci.image.layer.v1.tar+gzip"
                                             : "application/vnd.oci.image.layer.v1.tar+zstd";
    std::string b0 = Compress(l.alpine, filter), b1 = Compress(l.small, filter);
    layer_digests[0] = Blob(b0);
    layer_digests[1] = Blob(b1);
    json m = {{"schemaVersion", 2},
              {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
              {"config", Desc("application/vnd.oci.image.config.v1+json", config)},
              {"layers", {Desc(mt, b0), Desc(mt, b1)}}};
    std::string bytes = m.dump();
    Blob(bytes);
    return bytes;
  }
};

// An OCI layout whose index.json points to a multi-platform image index: linux/amd64 (gzip
// layers), linux/arm64/v8 (zstd layers) and a build attestation whose blob is absent.
OciImage BuildOciImage() {
  OciBuilder b;
  b.img.members.push_back({"blobs/", "", 'd'});
  b.img.members.push_back({"blobs/sha256/", "", 'd'});
  std::string m_amd = b.Manifest("amd64", "", Filter::kGzip, &b.img.amd64_config, b.img.amd64_layers);
  std::string m_arm = b.Manifest("arm64", "v8", Filter::kZstd, &b.img.arm64_config, b.img.arm64_layers);
  b.img.amd64_manifest = Sha256::Of(m_amd);
  b.img.arm64_manifest = Sha256::Of(m_arm);
  json d_amd = Desc("application/vnd.oci.image.manifest.v1+json", m_amd);
  d_amd["platform"] = {{"os", "linux"}, {"architecture", "amd64"}};
  json d_arm = Desc("application/vnd.oci.image.manifest.v1+json", m_arm);
  d_arm["platform"] = {{"os", "linux"}, {"architecture", "arm64"}, {"variant", "v8"}};
  json d_att = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                {"digest", "sha256:" + std::string(64, 'e')},
                {"size", 566},
                {"platform", {{"os", "unknown"}, {"architecture", "unknown"}}},
                {"annotations", {{"vnd.docker.reference.type", "attestation-manifest"}}}};
  json index = {{"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.index.v1+json"},
                {"manifests", {d_amd, d_arm, d_att}}};
  std::string index_bytes = index.dump();
  b.img.index_digest = b.Blob(index_bytes);
  json top_desc = Desc("application/vnd.oci.image.index.v1+json", index_bytes);
  top_desc["annotations"] = {{"io.containerd.image.name", "example.com/alpine:3.9"},
                             {"org.opencontainers.image.ref.name", "3.9"}};
  json top = {{"schemaVersion", 2}, {"mediaType", "application/vnd.oci.image.index.v1+json"}, {"manifests", {top_desc}}};
  b.img.members.push_back({"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"});
  b.img.members.push_back({"index.json", top.dump()});
  return b.img;
}

// Built once (compressing the Alpine layer takes a while); each test gets a copy.
OciImage MakeOciImage() {
  static const OciImage image = BuildOciImage();
  return image;
}

// ---- fixture -------------------------------------------------------------------------------------

class SourceLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TestLayers().ok) GTEST_SKIP() << "missing " << kAlpine;
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() / ("customs-source-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  std::string TarFile(const std::string& name, const std::vector<Entry>& members, Filter f = Filter::kNone) {
    std::string p = (dir_ / name).string();
    WriteFile(p, MakeTar(members, f));
    return p;
  }
  std::string Tree(const std::string& name, const std::vector<Entry>& members) {
    fs::path p = dir_ / name;
    WriteTree(p, members);
    return p.string();
  }
  fs::path dir_;
};

void CheckDockerImage(const LoadedSource& s, const std::string& path, const DockerArchive& d) {
  const Layers& l = TestLayers();
  EXPECT_EQ(s.artifact.type, ArtifactType::kContainerImage);
  EXPECT_EQ(s.artifact.name, path);
  EXPECT_EQ(s.artifact.image_id, d.image_id);
  EXPECT_EQ(s.artifact.manifest_digest, "");
  EXPECT_EQ(s.artifact.repo_tags, (std::vector<std::string>{"example.com/alpine:3.9", "alpine:latest"}));
  EXPECT_EQ(s.artifact.platform.os, "linux");
  EXPECT_EQ(s.artifact.platform.architecture, "amd64");
  EXPECT_EQ(s.artifact.created, "2024-01-02T03:04:05Z");
  EXPECT_EQ(s.artifact.config_json, d.config);
  ASSERT_EQ(s.layers.size(), 2u);
  ASSERT_EQ(s.expect.size(), 2u);
  ASSERT_EQ(s.streams.size(), 2u);
  EXPECT_EQ(s.layers[0].index, 0);
  EXPECT_EQ(s.layers[1].index, 1);
  EXPECT_EQ(s.layers[0].diff_id, l.alpine_diff);
  EXPECT_EQ(s.layers[1].diff_id, l.small_diff);
  EXPECT_EQ(s.layers[0].digest, "");  // <id>/layer.tar does not state its digest
  EXPECT_EQ(s.layers[0].size, l.alpine.size());
  EXPECT_EQ(s.layers[0].media_type, "application/vnd.oci.image.layer.v1.tar");
  EXPECT_EQ(s.layers[0].created_by, "/bin/sh -c #(nop) ADD file:alpine in / ");
  EXPECT_EQ(s.layers[1].created_by, "COPY motd /etc/motd # buildkit");  // the empty_layer entry is skipped
  EXPECT_EQ(s.expect[0].digest, "");
  EXPECT_EQ(s.expect[0].diff_id, l.alpine_diff);
  EXPECT_EQ(s.expect[1].diff_id, l.small_diff);
  EXPECT_CONTAINS(s.streams[0]->Describe(), kId0 + "/layer.tar");
}

// ---- docker-archive ------------------------------------------------------------------------------

TEST_F(SourceLoadTest, DockerArchiveTar) {
  DockerArchive d = MakeDockerArchive();
  std::string path = TarFile("alpine.tar", d.members);
  LoadedSource s = LoadImageArchive(path, SourceOptions{});
  CheckDockerImage(s, path, d);

  LayerContent c0 = ReadLayer(*s.streams[0], {"etc/alpine-release"});
  EXPECT_EQ(c0.files["etc/alpine-release"], "3.9.6\n");
  EXPECT_TRUE(c0.paths.count("lib/apk/db/installed"));
  EXPECT_EQ(c0.stats.uncompressed_sha256, s.expect[0].diff_id);
  LayerContent c1 = ReadLayer(*s.streams[1], {"etc/motd"});
  EXPECT_EQ(c1.files["etc/motd"], "scanned by customs\n");
  EXPECT_EQ(c1.stats.uncompressed_sha256, s.expect[1].diff_id);
}

TEST_F(SourceLoadTest, DockerArchiveDirectory) {
  DockerArchive d = MakeDockerArchive();
  std::string path = Tree("alpine", d.members);
  LoadedSource s = LoadImageArchive(path, SourceOptions{});
  CheckDockerImage(s, path, d);
  LayerContent c0 = ReadLayer(*s.streams[0], {"etc/alpine-release"});
  EXPECT_EQ(c0.files["etc/alpine-release"], "3.9.6\n");
  EXPECT_EQ(c0.stats.uncompressed_sha256, s.expect[0].diff_id);
}

TEST_F(SourceLoadTest, DockerArchiveGzippedAsAWhole) {
  DockerArchive d = MakeDockerArchive();
  std::string path = TarFile("alpine.tar.gz", d.members, Filter::kGzip);
  LoadedSource s = LoadImageArchive(path, SourceOptions{});
  CheckDockerImage(s, path, d);
  // Both layers at once, each on its own handle.
  LayerContent c0, c1;
  std::thread t([&] { c0 = ReadLayer(*s.streams[0], {"etc/alpine-release"}); });
  c1 = ReadLayer(*s.streams[1], {"etc/motd"});
  t.join();
  EXPECT_EQ(c0.files["etc/alpine-release"], "3.9.6\n");
  EXPECT_EQ(c0.stats.uncompressed_sha256, s.expect[0].diff_id);
  EXPECT_EQ(c1.files["etc/motd"], "scanned by customs\n");
}

TEST_F(SourceLoadTest, DockerArchiveConcurrentLayerReads) {
  DockerArchive d = MakeDockerArchive();
  std::string path = TarFile("alpine.tar", d.members);
  LoadedSource s = LoadImageArchive(path, SourceOptions{});
  std::vector<LayerContent> got(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { got[i] = ReadLayer(*s.streams[i % 2]); });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got[i].stats.uncompressed_sha256, s.expect[i % 2].diff_id);
}

// docker save v25+: blobs/sha256/<hex> names, so the stored digest is known; a legacy
// <id>/layer.tar symlink to the blob is followed inside the archive.
TEST_F(SourceLoadTest, DockerArchiveWithBlobNamesAndSymlinks) {
  const Layers& l = TestLayers();
  std::string gz = Compress(l.small, Filter::kGzip);
  std::string config = ConfigJson("amd64", "", {l.alpine_diff, l.small_diff});
  std::string a = "blobs/sha256/" + Hex(l.alpine_diff), b = "blobs/sha256/" + Hex(Sha256::Of(gz));
  json manifest = json::array({{{"Config", "blobs/sha256/" + Hex(Sha256::Of(config))},
                                {"RepoTags", {"alpine:3.9"}},
                                {"Layers", {a, "./legacy/" + kId1 + "/layer.tar"}}}});
  std::vector<Entry> members = {{a, l.alpine},
                                {b, gz},
                                {"blobs/sha256/" + Hex(Sha256::Of(config)), config},
                                {"legacy/" + kId1 + "/layer.tar", "", 'l', "../../" + b},
                                {"manifest.json", manifest.dump()}};
  for (bool as_dir : {false, true}) {
    SCOPED_TRACE(as_dir ? "directory" : "tar");
    std::string path = as_dir ? Tree("v25", members) : TarFile("v25.tar", members);
    LoadedSource s = LoadImageArchive(path, SourceOptions{});
    EXPECT_EQ(s.artifact.image_id, Sha256::Of(config));
    ASSERT_EQ(s.layers.size(), 2u);
    EXPECT_EQ(s.expect[0].digest, l.alpine_diff);
    EXPECT_EQ(s.expect[1].digest, Sha256::Of(gz));
    EXPECT_EQ(s.layers[1].digest, Sha256::Of(gz));
    EXPECT_EQ(s.layers[1].media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
    EXPECT_EQ(s.layers[1].size, gz.size());
    LayerContent c1 = ReadLayer(*s.streams[1], {"etc/motd"});
    EXPECT_EQ(c1.files["etc/motd"], "scanned by customs\n");
    EXPECT_EQ(c1.stats.stored_sha256, s.expect[1].digest);
    EXPECT_EQ(c1.stats.uncompressed_sha256, s.expect[1].diff_id);
  }
}

TEST_F(SourceLoadTest, DockerArchiveHardLinkedLayer) {
  DockerArchive d = MakeDockerArchive();
  for (auto& e : d.members)
    if (e.name == kId1 + "/layer.tar") e = Entry{e.name, "", 'h', "blob-copy"};
  d.members.insert(d.members.begin(), Entry{"blob-copy", TestLayers().small});
  LoadedSource s = LoadImageArchive(TarFile("hard.tar", d.members), SourceOptions{});
  EXPECT_EQ(ReadLayer(*s.streams[1]).stats.uncompressed_sha256, TestLayers().small_diff);
}

TEST_F(SourceLoadTest, DockerArchiveSeveralImagesTakesTheFirst) {
  DockerArchive d = MakeDockerArchive();
  json m = json::parse(Get(d.members, "manifest.json"));
  json other = m[0];
  other["RepoTags"] = {"other:1"};
  m.push_back(other);
  Put(d.members, "manifest.json", m.dump());
  LoadedSource s = LoadImageArchive(TarFile("two.tar", d.members), SourceOptions{});
  EXPECT_EQ(s.artifact.repo_tags[0], "example.com/alpine:3.9");
}

// ---- docker-archive: hostile or broken metadata -------------------------------------------------

TEST_F(SourceLoadTest, DockerArchiveMissingLayer) {
  DockerArchive d = MakeDockerArchive();
  Remove(d.members, kId1 + "/layer.tar");
  std::string path = TarFile("missing.tar", d.members);
  std::string msg = ErrorOf([&] { LoadImageArchive(path, SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, path + ":" + kId1 + "/layer.tar");
  EXPECT_CONTAINS(msg, "missing");
}

TEST_F(SourceLoadTest, DockerArchiveConfigDigestMismatch) {
  DockerArchive d = MakeDockerArchive();
  Put(d.members, Hex(d.image_id) + ".json", ConfigJson("arm64", "", {TestLayers().alpine_diff, TestLayers().small_diff}));
  std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("badcfg.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, Hex(d.image_id) + ".json");
  EXPECT_CONTAINS(msg, "does not match");
}

TEST_F(SourceLoadTest, DockerArchiveBadJson) {
  DockerArchive d = MakeDockerArchive();
  Put(d.members, "manifest.json", "[{\"Config\": ");
  std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("badjson.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "manifest.json: invalid JSON");

  d = MakeDockerArchive();
  Put(d.members, Hex(d.image_id) + ".json", "not json");
  // The config is named by its digest: rename it so the digest check passes and the parse fails.
  std::string bad = "not json";
  Put(d.members, Hex(Sha256::Of(bad)) + ".json", bad);
  json m = json::parse(Get(d.members, "manifest.json"));
  m[0]["Config"] = Hex(Sha256::Of(bad)) + ".json";
  Put(d.members, "manifest.json", m.dump());
  msg = ErrorOf([&] { LoadImageArchive(TarFile("badcfgjson.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, Hex(Sha256::Of(bad)) + ".json: invalid JSON");
}

TEST_F(SourceLoadTest, DockerArchiveHostilePaths) {
  for (std::string hostile : {"../" + kId1 + "/layer.tar", kId0 + "/../../etc/passwd", std::string("/etc/passwd")}) {
    SCOPED_TRACE(hostile);
    DockerArchive d = MakeDockerArchive();
    json m = json::parse(Get(d.members, "manifest.json"));
    m[0]["Layers"][1] = hostile;
    Put(d.members, "manifest.json", m.dump());
    std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("hostile.tar", d.members), SourceOptions{}); }, kExitInputRejected);
    EXPECT_CONTAINS(msg, hostile);
    EXPECT_CONTAINS(msg, hostile[0] == '/' ? "absolute path" : "\"..\"");
  }
}

TEST_F(SourceLoadTest, DockerArchiveSymlinkEscapes) {
  // In a tar: a member symlink that climbs out of the archive.
  DockerArchive d = MakeDockerArchive();
  for (auto& e : d.members)
    if (e.name == kId1 + "/layer.tar") e = Entry{e.name, "", 'l', "../../outside.tar"};
  std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("escape.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "outside");

  // In a directory: relative and absolute symlinks to a file outside the layout.
  WriteFile(dir_ / "outside.tar", TestLayers().small);
  for (std::string target : {std::string("../../outside.tar"), (dir_ / "outside.tar").string()}) {
    SCOPED_TRACE(target);
    DockerArchive dd = MakeDockerArchive();
    for (auto& e : dd.members)
      if (e.name == kId1 + "/layer.tar") e = Entry{e.name, "", 'l', target};
    fs::remove_all(dir_ / "escape");
    std::string path = Tree("escape", dd.members);
    msg = ErrorOf([&] { LoadImageArchive(path, SourceOptions{}); }, kExitInputRejected);
    EXPECT_CONTAINS(msg, kId1 + "/layer.tar");
  }
}

TEST_F(SourceLoadTest, DockerArchiveSymlinkLoopAndDirectoryLayer) {
  DockerArchive d = MakeDockerArchive();
  for (auto& e : d.members)
    if (e.name == kId1 + "/layer.tar") e = Entry{e.name, "", 'l', "../" + kId0 + "/loop"};
  d.members.push_back({kId0 + "/loop", "", 'l', "../" + kId1 + "/layer.tar"});
  std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("loop.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "too many levels of symbolic links");

  d = MakeDockerArchive();
  json m = json::parse(Get(d.members, "manifest.json"));
  m[0]["Layers"][1] = kId1;
  Put(d.members, "manifest.json", m.dump());
  msg = ErrorOf([&] { LoadImageArchive(TarFile("dirlayer.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "dirlayer.tar:" + kId1 + ": is a directory");
}

TEST_F(SourceLoadTest, DockerArchiveLayerCountMismatch) {
  DockerArchive d = MakeDockerArchive();
  json m = json::parse(Get(d.members, "manifest.json"));
  m[0]["Layers"].erase(1);
  Put(d.members, "manifest.json", m.dump());
  std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("count.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "manifest.json: lists 1 layers but the config's rootfs.diff_ids has 2");
}

TEST_F(SourceLoadTest, DockerArchiveMetadataTooLarge) {
  DockerArchive d = MakeDockerArchive();
  SourceOptions opts;
  opts.limits.max_metadata_bytes = 100;
  std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("big.tar", d.members), opts); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "manifest.json: is ");
  EXPECT_CONTAINS(msg, "more than the 100 bytes allowed");
}

TEST_F(SourceLoadTest, DuplicateMemberIsRefused) {
  DockerArchive d = MakeDockerArchive();
  d.members.push_back({kId1 + "/layer.tar", TestLayers().alpine});
  std::string msg = ErrorOf([&] { LoadImageArchive(TarFile("dup.tar", d.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "more than once");
}

// ---- not an image --------------------------------------------------------------------------------

TEST_F(SourceLoadTest, NotATar) {
  WriteFile(dir_ / "notes.txt", std::string(4096, 'x'));
  std::string msg = ErrorOf([&] { LoadImageArchive((dir_ / "notes.txt").string(), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "notes.txt: not a tar archive");
  WriteFile(dir_ / "empty", "");
  msg = ErrorOf([&] { LoadImageArchive((dir_ / "empty").string(), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "empty file");
  // A tar, but of something else.
  std::string other = TarFile("other.tar", {{"hello.txt", "hi"}});
  msg = ErrorOf([&] { LoadImageArchive(other, SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "neither manifest.json");
}

TEST_F(SourceLoadTest, TruncatedTar) {
  DockerArchive d = MakeDockerArchive();
  std::string bytes = MakeTar(d.members);
  // Cut inside the Alpine layer's data (the 4th member), and inside a header.
  // (The archive ends with repositories' header and data, then two zero blocks.)
  for (size_t cut : {size_t(20000), bytes.size() - 2048 + 100}) {
    SCOPED_TRACE(cut);
    WriteFile(dir_ / "cut.tar", bytes.substr(0, cut));
    std::string msg = ErrorOf([&] { LoadImageArchive((dir_ / "cut.tar").string(), SourceOptions{}); }, kExitInputRejected);
    EXPECT_CONTAINS(msg, "cut.tar");
    EXPECT_CONTAINS(msg, "truncated");
  }
}

TEST_F(SourceLoadTest, MissingPathIsAnIoError) {
  std::string p = (dir_ / "nope.tar").string();
  std::string msg = ErrorOf([&] { LoadImageArchive(p, SourceOptions{}); }, kExitIo);
  EXPECT_CONTAINS(msg, p + ": No such file or directory");
  ErrorOf([&] { LoadRootfs(p, SourceOptions{}); }, kExitIo);
  ErrorOf([&] { LoadFilesystem(p, SourceOptions{}); }, kExitIo);
}

TEST_F(SourceLoadTest, InvalidPlatformIsAUsageError) {
  SourceOptions opts;
  opts.platform = "amd64";
  std::string path = Tree("oci", MakeOciImage().members);
  std::string msg = ErrorOf([&] { LoadImageArchive(path, opts); }, kExitUsage);
  EXPECT_CONTAINS(msg, "os/arch");
}

// ---- OCI image layout ----------------------------------------------------------------------------

void CheckOciImage(const LoadedSource& s, const OciImage& img, bool arm) {
  const Layers& l = TestLayers();
  EXPECT_EQ(s.artifact.type, ArtifactType::kContainerImage);
  EXPECT_EQ(s.artifact.manifest_digest, arm ? img.arm64_manifest : img.amd64_manifest);
  EXPECT_EQ(s.artifact.image_id, arm ? img.arm64_config : img.amd64_config);
  EXPECT_EQ(s.artifact.config_json, img.blobs.at(s.artifact.image_id));
  EXPECT_EQ(s.artifact.repo_tags, std::vector<std::string>{"example.com/alpine:3.9"});
  EXPECT_EQ(s.artifact.platform.architecture, arm ? "arm64" : "amd64");
  EXPECT_EQ(s.artifact.platform.variant, arm ? "v8" : "");
  EXPECT_EQ(s.artifact.created, "2024-01-02T03:04:05Z");
  ASSERT_EQ(s.layers.size(), 2u);
  const std::string* digests = arm ? img.arm64_layers : img.amd64_layers;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(s.layers[i].index, i);
    EXPECT_EQ(s.layers[i].digest, digests[i]);
    EXPECT_EQ(s.expect[i].digest, digests[i]);
    EXPECT_EQ(s.layers[i].size, img.blobs.at(digests[i]).size());
    EXPECT_EQ(s.layers[i].media_type,
              arm ? "application/vnd.oci.image.layer.v1.tar+zstd" : "application/vnd.oci.image.layer.v1.tar+gzip");
  }
  EXPECT_EQ(s.expect[0].diff_id, l.alpine_diff);
  EXPECT_EQ(s.expect[1].diff_id, l.small_diff);
  EXPECT_EQ(s.layers[0].created_by, "/bin/sh -c #(nop) ADD file:alpine in / ");
  EXPECT_EQ(s.layers[1].created_by, "COPY motd /etc/motd # buildkit");
}

TEST_F(SourceLoadTest, OciLayoutDirectoryDefaultPlatform) {
  OciImage img = MakeOciImage();
  std::string path = Tree("oci", img.members);
  LoadedSource s = LoadImageArchive(path, SourceOptions{});
  CheckOciImage(s, img, false);
  EXPECT_CONTAINS(s.streams[0]->Describe(), "blobs/sha256/" + Hex(img.amd64_layers[0]));
  LayerContent c0 = ReadLayer(*s.streams[0], {"etc/alpine-release"});
  EXPECT_EQ(c0.files["etc/alpine-release"], "3.9.6\n");
  EXPECT_EQ(c0.stats.stored_sha256, s.expect[0].digest);
  EXPECT_EQ(c0.stats.uncompressed_sha256, s.expect[0].diff_id);
}

TEST_F(SourceLoadTest, OciLayoutChoosesThePlatform) {
  OciImage img = MakeOciImage();
  std::string path = Tree("oci", img.members);
  for (const char* p : {"linux/arm64", "linux/arm64/v8", "linux/aarch64"}) {
    SCOPED_TRACE(p);
    SourceOptions opts;
    opts.platform = p;
    LoadedSource s = LoadImageArchive(path, opts);
    CheckOciImage(s, img, true);
  }
  SourceOptions opts;
  opts.platform = "linux/arm64";
  LoadedSource s = LoadImageArchive(path, opts);
  LayerContent c1 = ReadLayer(*s.streams[1], {"etc/motd"});  // zstd
  EXPECT_EQ(c1.files["etc/motd"], "scanned by customs\n");
  EXPECT_EQ(c1.stats.stored_sha256, s.expect[1].digest);
}

TEST_F(SourceLoadTest, OciLayoutNoMatchingPlatform) {
  std::string path = Tree("oci", MakeOciImage().members);
  SourceOptions opts;
  opts.platform = "linux/s390x";
  std::string msg = ErrorOf([&] { LoadImageArchive(path, opts); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "no image for platform linux/s390x");
  EXPECT_CONTAINS(msg, "linux/amd64, linux/arm64/v8");
  EXPECT_EQ(msg.find("unknown/unknown"), std::string::npos) << msg;  // the attestation is not an image
}

TEST_F(SourceLoadTest, OciLayoutTar) {
  OciImage img = MakeOciImage();
  for (Filter f : {Filter::kNone, Filter::kGzip}) {
    std::string path = TarFile(f == Filter::kNone ? "oci.tar" : "oci.tar.gz", img.members, f);
    LoadedSource s = LoadImageArchive(path, SourceOptions{});
    CheckOciImage(s, img, false);
    EXPECT_CONTAINS(s.streams[1]->Describe(), path + ":blobs/sha256/");
    LayerContent c0 = ReadLayer(*s.streams[0], {"etc/alpine-release"});
    EXPECT_EQ(c0.files["etc/alpine-release"], "3.9.6\n");
    EXPECT_EQ(c0.stats.stored_sha256, s.expect[0].digest);
    EXPECT_EQ(c0.stats.uncompressed_sha256, s.expect[0].diff_id);
  }
}

// index.json pointing straight at one manifest without a platform (skopeo, docker save v25).
TEST_F(SourceLoadTest, OciLayoutSingleManifest) {
  OciImage img = MakeOciImage();
  std::string manifest = img.blobs.at(img.arm64_manifest);
  json d = Desc("application/vnd.oci.image.manifest.v1+json", manifest);
  d["annotations"] = {{"org.opencontainers.image.ref.name", "3.9"}};
  Put(img.members, "index.json", json({{"schemaVersion", 2}, {"manifests", {d}}}).dump());
  LoadedSource s = LoadImageArchive(Tree("single", img.members), SourceOptions{});  // asks amd64, gets the only one
  EXPECT_EQ(s.artifact.manifest_digest, img.arm64_manifest);
  EXPECT_EQ(s.artifact.platform.architecture, "arm64");
  EXPECT_EQ(s.artifact.repo_tags, std::vector<std::string>{"3.9"});
}

// Several images without platform in index.json: the configs tell which is which.
TEST_F(SourceLoadTest, OciLayoutPlatformFromConfigs) {
  OciImage img = MakeOciImage();
  json manifests = json::array();
  for (const auto& m : {img.arm64_manifest, img.amd64_manifest})
    manifests.push_back(Desc("application/vnd.oci.image.manifest.v1+json", img.blobs.at(m)));
  Put(img.members, "index.json", json({{"schemaVersion", 2}, {"manifests", manifests}}).dump());
  LoadedSource s = LoadImageArchive(Tree("noplat", img.members), SourceOptions{});
  EXPECT_EQ(s.artifact.manifest_digest, img.amd64_manifest);
}

// docker save v25+ writes both layouts; the OCI one is used, with manifest.json's tags.
TEST_F(SourceLoadTest, OciLayoutWithDockerManifest) {
  OciImage img = MakeOciImage();
  json m = json::array({{{"Config", "blobs/sha256/" + Hex(img.amd64_config)},
                         {"RepoTags", {"alpine:3.9"}},
                         {"Layers", {"blobs/sha256/" + Hex(img.amd64_layers[0]), "blobs/sha256/" + Hex(img.amd64_layers[1])}}}});
  img.members.push_back({"manifest.json", m.dump()});
  LoadedSource s = LoadImageArchive(TarFile("both.tar", img.members), SourceOptions{});
  EXPECT_EQ(s.artifact.manifest_digest, img.amd64_manifest);
  EXPECT_EQ(s.artifact.repo_tags, std::vector<std::string>{"alpine:3.9"});
}

TEST_F(SourceLoadTest, OciLayoutTamperedBlobs) {
  // A config whose content no longer matches its digest (same size: the size check passes).
  OciImage img = MakeOciImage();
  std::string config = img.blobs.at(img.amd64_config);
  config.replace(config.find("amd64"), 5, "AMD64");
  Put(img.members, "blobs/sha256/" + Hex(img.amd64_config), config);
  std::string msg = ErrorOf([&] { LoadImageArchive(Tree("tampered", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "blobs/sha256/" + Hex(img.amd64_config));
  EXPECT_CONTAINS(msg, "does not match its digest");

  // A layer blob whose size differs from its descriptor.
  img = MakeOciImage();
  Put(img.members, "blobs/sha256/" + Hex(img.amd64_layers[1]), img.blobs.at(img.amd64_layers[1]) + "x");
  msg = ErrorOf([&] { LoadImageArchive(TarFile("size.tar", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "size.tar:blobs/sha256/" + Hex(img.amd64_layers[1]));
  EXPECT_CONTAINS(msg, "descriptor says");

  // A missing layer blob.
  img = MakeOciImage();
  Remove(img.members, "blobs/sha256/" + Hex(img.amd64_layers[0]));
  msg = ErrorOf([&] { LoadImageArchive(Tree("nolayer", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "blobs/sha256/" + Hex(img.amd64_layers[0]));
  EXPECT_CONTAINS(msg, "missing");

  // A tampered index.json is caught through the image index's digest.
  img = MakeOciImage();
  std::string index = img.blobs.at(img.index_digest);
  index.replace(index.find("arm64"), 5, "s390x");
  Put(img.members, "blobs/sha256/" + Hex(img.index_digest), index);
  msg = ErrorOf([&] { LoadImageArchive(Tree("idx", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "does not match its digest");
}

// Rewrites the amd64 manifest with `edit` and points the index at the result.
OciImage WithEditedManifest(const std::function<void(json&)>& edit) {
  OciImage img = MakeOciImage();
  json m = json::parse(img.blobs.at(img.amd64_manifest));
  edit(m);
  std::string bytes = m.dump();
  img.members.push_back({"blobs/sha256/" + Hex(Sha256::Of(bytes)), bytes});
  json d = Desc("application/vnd.oci.image.manifest.v1+json", bytes);
  d["platform"] = {{"os", "linux"}, {"architecture", "amd64"}};
  Put(img.members, "index.json", json({{"schemaVersion", 2}, {"manifests", {d}}}).dump());
  return img;
}

// Docker's media types: a manifest list, a v2 schema 2 manifest, its config and gzip layers.
TEST_F(SourceLoadTest, OciLayoutWithDockerMediaTypes) {
  OciImage img = MakeOciImage();
  json m = json::parse(img.blobs.at(img.amd64_manifest));
  m["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json";
  m["config"]["mediaType"] = "application/vnd.docker.container.image.v1+json";
  for (auto& l : m["layers"]) l["mediaType"] = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  std::string manifest = m.dump();
  img.members.push_back({"blobs/sha256/" + Hex(Sha256::Of(manifest)), manifest});
  json d = Desc("application/vnd.docker.distribution.manifest.v2+json", manifest);
  d["platform"] = {{"os", "linux"}, {"architecture", "amd64"}};
  json list = {{"schemaVersion", 2},
               {"mediaType", "application/vnd.docker.distribution.manifest.list.v2+json"},
               {"manifests", {d}}};
  std::string list_bytes = list.dump();
  img.members.push_back({"blobs/sha256/" + Hex(Sha256::Of(list_bytes)), list_bytes});
  Put(img.members, "index.json",
      json({{"schemaVersion", 2}, {"manifests", {Desc("application/vnd.docker.distribution.manifest.list.v2+json", list_bytes)}}}).dump());
  LoadedSource s = LoadImageArchive(Tree("docker-types", img.members), SourceOptions{});
  EXPECT_EQ(s.artifact.manifest_digest, Sha256::Of(manifest));
  EXPECT_EQ(s.artifact.image_id, img.amd64_config);
  ASSERT_EQ(s.layers.size(), 2u);
  EXPECT_EQ(s.layers[0].media_type, "application/vnd.docker.image.rootfs.diff.tar.gzip");
  EXPECT_EQ(s.expect[0].digest, img.amd64_layers[0]);
  EXPECT_EQ(ReadLayer(*s.streams[1]).stats.uncompressed_sha256, TestLayers().small_diff);
}

TEST_F(SourceLoadTest, OciLayoutEmptyPlatformMeansTheDefault) {
  SourceOptions opts;
  opts.platform = "";
  OciImage img = MakeOciImage();
  LoadedSource s = LoadImageArchive(Tree("oci", img.members), opts);
  EXPECT_EQ(s.artifact.manifest_digest, img.amd64_manifest);
}

TEST_F(SourceLoadTest, OciLayoutUnsupportedMediaTypes) {
  OciImage img = WithEditedManifest([](json& m) { m["layers"][1]["mediaType"] = "application/vnd.example.layer.v1+lz4"; });
  std::string msg = ErrorOf([&] { LoadImageArchive(Tree("lz4", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "layer 1 has media type \"application/vnd.example.layer.v1+lz4\"");

  img = WithEditedManifest([](json& m) { m["config"]["mediaType"] = "application/vnd.cncf.helm.config.v1+json"; });
  msg = ErrorOf([&] { LoadImageArchive(Tree("helm", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "not a container image");

  img = WithEditedManifest([](json& m) { m["layers"].erase(1); });
  msg = ErrorOf([&] { LoadImageArchive(Tree("fewer", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "lists 1 layers but the config's rootfs.diff_ids has 2");

  img = WithEditedManifest([](json& m) { m["layers"][0]["digest"] = "sha512:" + std::string(128, 'a'); });
  msg = ErrorOf([&] { LoadImageArchive(Tree("sha512", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "only sha256");
}

TEST_F(SourceLoadTest, OciLayoutBadLayoutFiles) {
  OciImage img = MakeOciImage();
  Put(img.members, "oci-layout", R"({"imageLayoutVersion":"9.0.0"})");
  std::string msg = ErrorOf([&] { LoadImageArchive(Tree("v9", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "oci-layout: unsupported imageLayoutVersion");

  img = MakeOciImage();
  Remove(img.members, "oci-layout");
  msg = ErrorOf([&] { LoadImageArchive(TarFile("nolayout.tar", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "oci-layout: missing");

  img = MakeOciImage();
  Put(img.members, "index.json", "{\"schemaVersion\":2,\"manifests\":[{]}");
  msg = ErrorOf([&] { LoadImageArchive(Tree("badidx", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "index.json: invalid JSON");
}

TEST_F(SourceLoadTest, OciLayoutNestingIsBounded) {
  OciImage img = MakeOciImage();
  std::string inner = img.blobs.at(img.index_digest);
  for (int i = 0; i < 6; ++i) {
    json wrap = {{"schemaVersion", 2},
                 {"mediaType", "application/vnd.oci.image.index.v1+json"},
                 {"manifests", {Desc("application/vnd.oci.image.index.v1+json", inner)}}};
    inner = wrap.dump();
    img.members.push_back({"blobs/sha256/" + Hex(Sha256::Of(inner)), inner});
  }
  Put(img.members, "index.json", json({{"schemaVersion", 2}, {"manifests", {Desc("application/vnd.oci.image.index.v1+json", inner)}}}).dump());
  std::string msg = ErrorOf([&] { LoadImageArchive(Tree("deep", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "nested more than");
}

TEST_F(SourceLoadTest, OciLayoutDirectoryBlobSymlinkEscape) {
  OciImage img = MakeOciImage();
  std::string blob = "blobs/sha256/" + Hex(img.amd64_layers[1]);
  WriteFile(dir_ / "elsewhere", img.blobs.at(img.amd64_layers[1]));
  for (auto& e : img.members)
    if (e.name == blob) e = Entry{blob, "", 'l', "../../../elsewhere"};
  std::string msg = ErrorOf([&] { LoadImageArchive(Tree("link", img.members), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, blob);
  EXPECT_CONTAINS(msg, "outside");
}

// ---- rootfs and fs ---------------------------------------------------------------------------------

TEST_F(SourceLoadTest, RootfsTarball) {
  LoadedSource s = LoadRootfs(kAlpine, SourceOptions{});
  EXPECT_EQ(s.artifact.type, ArtifactType::kRootfs);
  EXPECT_EQ(s.artifact.name, kAlpine);
  ASSERT_EQ(s.layers.size(), 1u);
  EXPECT_EQ(s.layers[0].index, 0);
  EXPECT_EQ(s.layers[0].digest, "");
  EXPECT_EQ(s.layers[0].diff_id, "");
  EXPECT_EQ(s.expect[0].digest, "");
  EXPECT_EQ(s.expect[0].diff_id, "");
  LayerContent c = ReadLayer(*s.streams[0], {"etc/alpine-release"});
  EXPECT_EQ(c.files["etc/alpine-release"], "3.9.6\n");
  EXPECT_EQ(c.stats.stored_sha256, Sha256::Of(ReadFile(kAlpine)));

  // Plain and zstd tarballs, told apart by content whatever their names.
  WriteFile(dir_ / "rootfs.bin", TestLayers().small);
  WriteFile(dir_ / "rootfs.tar.gz", Compress(TestLayers().small, Filter::kZstd));
  for (const char* name : {"rootfs.bin", "rootfs.tar.gz"}) {
    LoadedSource r = LoadRootfs((dir_ / name).string(), SourceOptions{});
    EXPECT_EQ(ReadLayer(*r.streams[0]).stats.uncompressed_sha256, TestLayers().small_diff) << name;
  }
}

TEST_F(SourceLoadTest, RootfsDirectoryAndFilesystem) {
  std::string root = Tree("root", {{"etc/alpine-release", "3.9.6\n"}, {"bin/sh", "", 'l', "busybox"}, {"bin/busybox", "ELF"}});
  for (bool fs_cmd : {false, true}) {
    LoadedSource s = fs_cmd ? LoadFilesystem(root, SourceOptions{}) : LoadRootfs(root, SourceOptions{});
    EXPECT_EQ(s.artifact.type, fs_cmd ? ArtifactType::kFilesystem : ArtifactType::kRootfs);
    EXPECT_EQ(s.artifact.name, root);
    ASSERT_EQ(s.layers.size(), 1u);
    ASSERT_EQ(s.expect.size(), 1u);
    LayerContent c = ReadLayer(*s.streams[0], {"etc/alpine-release"});
    EXPECT_EQ(c.files["etc/alpine-release"], "3.9.6\n");
    EXPECT_TRUE(c.paths.count("bin/sh"));
  }
}

TEST_F(SourceLoadTest, RootfsAndFilesystemErrors) {
  WriteFile(dir_ / "junk.tar", std::string(2048, 'j'));
  std::string msg = ErrorOf([&] { LoadRootfs((dir_ / "junk.tar").string(), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "junk.tar: not a tar archive");
  WriteFile(dir_ / "r.tar.bz2", "BZh91AY&SY" + std::string(100, '\0'));
  msg = ErrorOf([&] { LoadRootfs((dir_ / "r.tar.bz2").string(), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "bzip2");
  WriteFile(dir_ / "empty.tar", "");
  msg = ErrorOf([&] { LoadRootfs((dir_ / "empty.tar").string(), SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "empty file");
  msg = ErrorOf([&] { LoadFilesystem(kAlpine, SourceOptions{}); }, kExitInputRejected);
  EXPECT_CONTAINS(msg, "not a directory");
}

}  // namespace
}  // namespace customs

namespace customs {
namespace {

// Members larger than what the store keeps in memory are streamed from the file: as a byte range
// (pread) when the tar is not compressed and the member is a plain file, else through libarchive.
// Either way the bytes must be the member's, in every tar dialect: pax (long names in an extended
// header), GNU (long names in 'L' entries, base-256 sizes), ustar, old v7.
TEST(TarStoreMembers, StreamedMembersAreTheirBytesInEveryDialect) {
  std::string big(3u << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = char((i * 2654435761u) >> 13);
  const std::string long_name = std::string(120, 'n') + "/layer.tar";
  struct Dialect {
    const char* name;
    int (*set)(archive*);
    bool long_names;
  };
  const Dialect dialects[] = {{"pax", archive_write_set_format_pax_restricted, true},
                              {"gnutar", archive_write_set_format_gnutar, true},
                              {"ustar", archive_write_set_format_ustar, false},
                              {"v7", archive_write_set_format_v7tar, false}};
  const char* dir_template = "/tmp/customs-tarstore-XXXXXX";
  std::string dir(dir_template);
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  for (const Dialect& d : dialects) {
    for (Filter filter : {Filter::kNone, Filter::kGzip}) {
      SCOPED_TRACE(std::string(d.name) + (filter == Filter::kGzip ? " + gzip" : ""));
      std::vector<std::pair<std::string, std::string>> members = {
          {"small", "tiny"}, {"first.bin", big.substr(0, (1u << 20) + 1)}, {"second.bin", big}};
      if (d.long_names) members.push_back({long_name, big.substr(7)});
      std::string tar;
      archive* a = archive_write_new();
      ASSERT_EQ(d.set(a), ARCHIVE_OK);
      AddFilter(a, filter);
      ASSERT_EQ(archive_write_open(a, &tar, nullptr, AppendCb, nullptr), ARCHIVE_OK);
      for (const auto& [name, data] : members) {
        archive_entry* ae = archive_entry_new();
        archive_entry_set_pathname(ae, name.c_str());
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_size(ae, la_int64_t(data.size()));
        ASSERT_EQ(archive_write_header(a, ae), ARCHIVE_OK) << archive_error_string(a);
        ASSERT_EQ(archive_write_data(a, data.data(), data.size()), la_ssize_t(data.size()));
        archive_entry_free(ae);
      }
      ASSERT_EQ(archive_write_close(a), ARCHIVE_OK);
      archive_write_free(a);
      const std::string path = dir + "/" + d.name + (filter == Filter::kGzip ? ".tar.gz" : ".tar");
      std::ofstream(path, std::ios::binary) << tar;

      auto store = source_detail::OpenTarStore(path);
      for (const auto& [name, data] : members) {
        auto m = store->Find(name);
        ASSERT_TRUE(m.has_value()) << name;
        std::string got;
        auto src = store->Opener(*m)();
        std::vector<char> buf(256 << 10);
        for (size_t n; (n = src->Read(buf.data(), buf.size())) > 0;) got.append(buf.data(), n);
        EXPECT_EQ(got.size(), data.size()) << name;
        EXPECT_TRUE(got == data) << name;
        EXPECT_EQ(store->Read(*m, 64 << 20), data) << name;
      }
    }
  }
  fs::remove_all(dir);
}

// A member whose data runs past the end of a cut file is an error, not short data.
TEST(TarStoreMembers, TruncatedMemberIsAnError) {
  std::string big(2u << 20, 'x');
  std::string tar = MakeTar({Entry("a.bin", big), Entry("b.bin", big)});
  std::string dir = "/tmp/customs-tarcut-XXXXXX";
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  const std::string path = dir + "/cut.tar";
  std::ofstream(path, std::ios::binary) << tar.substr(0, tar.size() - (1u << 20));
  try {
    auto store = source_detail::OpenTarStore(path);
    auto m = store->Find("b.bin");
    if (m) {
      auto src = store->Opener(*m)();
      std::vector<char> buf(256 << 10);
      for (size_t n; (n = src->Read(buf.data(), buf.size())) > 0;) {}
    }
    ADD_FAILURE() << "a truncated member was read without an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitInputRejected) << e.what();
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace customs
