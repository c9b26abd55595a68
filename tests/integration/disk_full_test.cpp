// A real full disk: the daemon's data directory on a small tmpfs. Needs root (mount); where
// mounting is not permitted the test says so and checks nothing.
#include <sys/mount.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <set>

#include "daemon.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

// Mounts a tmpfs of `size` on `dir` for the life of the object.
class SmallDisk {
 public:
  SmallDisk(const std::filesystem::path& dir, const std::string& size) : dir_(dir) {
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  bool grow(const std::string& size) {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
  }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

std::size_t count_contacts(HttpClient& c) { return list_all(c, "contacts").size(); }

}  // namespace

TEST_CASE("on a full disk a create fails with 507, nothing is half-written, reads go on, and no answered create is lost") {
  Daemon d(std::map<std::string, std::string>{{"RELANCE_LOG_FILE", ""}});
  SmallDisk disk(d.data_dir(), "3m");
  if (!disk.mounted()) {
    WARN("cannot mount a tmpfs here (" << disk.error() << "): the full-disk test needs root");
    return;
  }
  d.start();
  HttpClient admin = d.admin();
  const std::string notes(6000, 'x');
  std::set<std::int64_t> created;
  int failure = 0;
  std::string failure_body;
  for (int i = 0; i < 2000 && failure == 0; ++i) {
    auto r = admin.post("/api/v1/contacts",
                        json::object{{"first_name", "Filler " + std::to_string(i)}, {"notes", notes}});
    if (r.status == 201) {
      created.insert(r.json().at("id").as_int64());
    } else {
      failure = r.status;
      failure_body = r.body;
      CHECK(r.header("content-type") == "application/problem+json");
    }
  }
  INFO(failure_body);
  REQUIRE(failure == 507);
  REQUIRE(created.size() > 10);

  // Reads still answer, and the failed create left nothing behind.
  CHECK(admin.get("/healthz").status == 200);
  CHECK(count_contacts(admin) == created.size());
  CHECK(admin.get("/api/v1/contacts/" + std::to_string(*created.begin())).status == 200);

  // With room again, the daemon restarts on an intact database with every answered create.
  REQUIRE(disk.grow("64m"));
  d.kill9();
  d.start();
  HttpClient again = d.admin();
  CHECK(count_contacts(again) == created.size());
  for (std::int64_t id : {*created.begin(), *created.rbegin()})
    CHECK(again.get("/api/v1/contacts/" + std::to_string(id)).status == 200);
  CHECK(again.post("/api/v1/contacts", json::object{{"first_name", "After"}}).status == 201);
}
