// Helpers for the db tests: a Sink that keeps everything, and paths into the shared vulndata.
#pragma once

#include <string>
#include <vector>

#include "db/feeds/feed.h"
#include "support/fixtures.h"

namespace db_test {

struct VectorSink : customs::db::Sink {
  std::vector<customs::db::AdvisoryRecord> advisories;
  std::vector<customs::db::KevRecord> kev;
  std::vector<customs::db::NvdRecord> nvd;
  std::vector<customs::db::EpssRecord> epss;
  std::vector<std::string> skipped;
  std::string snapshot;
  void Advisory(customs::db::AdvisoryRecord&& r) override { advisories.push_back(std::move(r)); }
  void Kev(customs::db::KevRecord&& r) override { kev.push_back(std::move(r)); }
  void Nvd(customs::db::NvdRecord&& r) override { nvd.push_back(std::move(r)); }
  void Epss(customs::db::EpssRecord&& r) override { epss.push_back(std::move(r)); }
  void Skip(const std::string& where, const std::string& reason) override { skipped.push_back(where + ": " + reason); }
  void Snapshot(const std::string& d) override { snapshot = d; }

  const customs::db::AdvisoryRecord* Find(const std::string& id) const {
    for (const auto& a : advisories)
      if (a.id == id) return &a;
    return nullptr;
  }
};

inline std::string Vulndata(const std::string& rel = "") {
  return customs_test::SharedDir() + "/vulndata" + (rel.empty() ? "" : "/" + rel);
}

inline const customs::db::Feed& FeedOf(const char* id) { return *customs::db::FindFeed(id); }

}  // namespace db_test
