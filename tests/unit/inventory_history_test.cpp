// The per-path layer history (src/inventory/history.cpp): what each layer did to each path, as the
// inventory, the secret matches and the configuration files read it.
#include <gtest/gtest.h>

#include "inventory/config_files.h"
#include "inventory/history.h"
#include "inventory/secrets.h"

namespace customs {
namespace {

FileMeta E(std::string path, FileType type = FileType::kRegular) {
  FileMeta m;
  m.path = std::move(path);
  m.type = type;
  return m;
}

std::vector<std::pair<int, PathState>> Of(const LayerHistory& h, std::string_view path) {
  std::vector<std::pair<int, PathState>> out;
  for (const PathEvent& e : h.Events(path)) out.push_back({e.layer, e.state});
  return out;
}

std::vector<LayerScan> Layers() {
  std::vector<LayerScan> scans(4);
  for (int i = 0; i < 4; ++i) scans[size_t(i)].index = i;
  // 0: a/ with x, y and c.yaml; d/ with z.yaml; b.yaml (kept)
  scans[0].entries = {E("a", FileType::kDirectory), E("a/c.yaml"), E("a/x"), E("a/y"), E("b.yaml"),
                      E("d", FileType::kDirectory), E("d/z.yaml")};
  scans[0].kept = {{"a/c.yaml", std::make_shared<const std::string>("c0")},
                   {"b.yaml", std::make_shared<const std::string>("b0")},
                   {"d/z.yaml", std::make_shared<const std::string>("z0")}};
  // 1: whiteout of a/x, opaque d/, b.yaml rewritten twice (the last copy wins)
  scans[1].entries = {E("a/x", FileType::kWhiteout), E("d", FileType::kOpaqueWhiteout), E("b.yaml"), E("b.yaml")};
  scans[1].kept = {{"b.yaml", std::make_shared<const std::string>("b1")},
                   {"b.yaml", std::make_shared<const std::string>("b2")}};
  // 2: a file over the directory a; a/x deleted again (already gone: nothing recorded)
  scans[2].entries = {E("a/x", FileType::kWhiteout), E("a", FileType::kSymlink)};
  // 3: a/x written again, b.yaml replaced by something not kept
  scans[3].entries = {E("a/x"), E("b.yaml", FileType::kSymlink)};
  return scans;
}

TEST(InventoryHistory, EventsPerPathInLayerOrder) {
  auto scans = Layers();
  LayerHistory h(scans);
  using P = PathState;
  EXPECT_EQ(Of(h, "a/x"), (std::vector<std::pair<int, P>>{{0, P::kWritten}, {1, P::kDeleted}, {3, P::kWritten}}));
  EXPECT_EQ(Of(h, "a/y"), (std::vector<std::pair<int, P>>{{0, P::kWritten}, {2, P::kReplaced}}));
  EXPECT_EQ(Of(h, "d/z.yaml"), (std::vector<std::pair<int, P>>{{0, P::kWritten}, {1, P::kHidden}}));
  EXPECT_EQ(Of(h, "b.yaml"), (std::vector<std::pair<int, P>>{{0, P::kWritten}, {1, P::kWritten}, {3, P::kWritten}}));
  EXPECT_TRUE(Of(h, "never").empty());
  ASSERT_NE(h.Final("a/x"), nullptr);
  EXPECT_EQ(h.Final("a/x")->layer, 3);
  EXPECT_EQ(h.Final("a/y"), nullptr);
  EXPECT_EQ(*h.Kept(1, "b.yaml"), "b2");
  EXPECT_EQ(h.Kept(3, "b.yaml"), nullptr);
  EXPECT_EQ(h.Kept(9, "b.yaml"), nullptr);
}

TEST(InventoryHistory, ConfigFilesOfTheFinalView) {
  auto scans = Layers();
  LayerHistory h(scans);
  // a/c.yaml: its directory became a link; d/z.yaml: hidden; b.yaml: last written as a link.
  EXPECT_TRUE(CollectMisconfigFiles(h, true).empty());
  scans.pop_back();
  LayerHistory h3(scans);
  auto files = CollectMisconfigFiles(h3, true);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "b.yaml");
  EXPECT_EQ(files[0].layer, 1);
  EXPECT_EQ(*files[0].content, "b2");
  EXPECT_EQ(CollectMisconfigFiles(h3, false)[0].layer, -1);
}

TEST(InventoryHistory, SecretsKnowTheLayerThatRemovedThem) {
  auto scans = Layers();
  auto match = [](std::string path, int layer) {
    SecretMatch s;
    s.path = std::move(path);
    s.layer = layer;
    s.rule_id = "r";
    return s;
  };
  scans[0].result.secrets = {match("a/x", 0), match("a/y", 0), match("d/z.yaml", 0), match("b.yaml", 0)};
  scans[3].result.secrets = {match("a/x", 3)};
  LayerHistory h(scans);
  Inventory inv;
  CollectSecrets(scans, h, inv);
  ASSERT_EQ(inv.secrets.size(), 5u);
  auto find = [&](std::string_view path, int layer) -> const SecretMatch& {
    for (const auto& s : inv.secrets)
      if (s.path == path && s.layer == layer) return s;
    ADD_FAILURE() << path;
    return inv.secrets.front();
  };
  EXPECT_EQ(find("a/x", 0).removed_in_layer, 1);
  EXPECT_FALSE(find("a/x", 0).replaced);
  EXPECT_EQ(find("a/y", 0).removed_in_layer, 2);
  EXPECT_TRUE(find("a/y", 0).replaced);
  EXPECT_EQ(find("d/z.yaml", 0).removed_in_layer, 1);
  EXPECT_FALSE(find("d/z.yaml", 0).replaced);
  EXPECT_EQ(find("b.yaml", 0).removed_in_layer, 1);
  EXPECT_TRUE(find("b.yaml", 0).replaced);
  EXPECT_EQ(find("a/x", 3).removed_in_layer, -1);
}

}  // namespace
}  // namespace customs
