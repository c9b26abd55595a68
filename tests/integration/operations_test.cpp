// Operating Relance: health and metrics endpoints, the API description, a clean shutdown,
// the operator commands (version, init, migrate, backup), refusing a database it must not
// touch, logins and tokens, the audit log and cursor pagination, as an operator, a
// founder and an org-admin meet them.
#include <sys/stat.h>
#include <sys/wait.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "daemon.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// `relance serve` on `dir`, expected to exit by itself; a daemon that serves instead is
// stopped after 20 s (exit code 124).
std::pair<int, std::string> serve_expecting_exit(const fs::path& dir) {
  return shell("timeout 20 " + quoted(RELANCE_BINARY) + " serve --data-dir " + quoted(dir.string()) +
               " --listen 127.0.0.1:0");
}

std::string file_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The current UTC time to the second, as "YYYY-MM-DDTHH:MM:SS".
std::string utc_now_seconds() { return utc_instant(std::chrono::system_clock::now()).substr(0, 19); }

HttpClient client_with(std::uint16_t port, const std::string& token) {
  HttpClient c(port);
  c.set_token(token);
  return c;
}

std::int64_t create_id(HttpClient& as, const std::string& collection, const json::object& body) {
  auto r = as.post("/api/v1/" + collection, body);
  INFO("POST /api/v1/" << collection << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == 201);
  return r.json().at("id").as_int64();
}

// Every item of a list, following next_cursor; `query` without limit and cursor.
std::vector<json::object> walk(HttpClient& c, const std::string& path, const std::string& query,
                               std::size_t limit, std::vector<std::size_t>* page_sizes = nullptr) {
  std::vector<json::object> out;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    std::string target = path + "?limit=" + std::to_string(limit) + (query.empty() ? "" : "&" + query);
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto r = c.get(target);
    INFO(target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    auto doc = r.json().as_object();
    const auto& items = doc.at("items").as_array();
    if (page_sizes) page_sizes->push_back(items.size());
    for (const auto& item : items) out.push_back(item.as_object());
    if (doc.at("next_cursor").is_null()) return out;
    cursor = std::string(doc.at("next_cursor").as_string());
    REQUIRE(!cursor.empty());
  }
  FAIL("the list " << path << " never ended");
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Checks the Prometheus text exposition format (0.0.4): HELP and TYPE comments, samples
// `name{label="value",...} number`, each sample of a family announced by TYPE (histogram
// samples with their _bucket, _sum and _count suffixes).
void check_prometheus_text(const std::string& text) {
  static const std::regex help(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  static const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  static const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? ([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|[-+]Inf)$)");
  REQUIRE(!text.empty());
  CHECK(text.back() == '\n');
  std::map<std::string, std::string> types;
  for (const std::string& line : lines_of(text)) {
    INFO("metrics line: " << line);
    std::smatch m;
    if (line.rfind("# HELP ", 0) == 0) {
      CHECK(std::regex_match(line, help));
    } else if (line.rfind("# TYPE ", 0) == 0) {
      REQUIRE(std::regex_match(line, m, type));
      CHECK(types.count(m[1]) == 0);  // one TYPE per family
      types[m[1]] = m[2];
    } else if (line.empty() || line[0] == '#') {
      continue;
    } else {
      REQUIRE(std::regex_match(line, m, sample));
      std::string name = m[1];
      if (!types.count(name)) {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
          const std::string s = suffix;
          if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0 &&
              types.count(name.substr(0, name.size() - s.size())) &&
              types[name.substr(0, name.size() - s.size())] == "histogram") {
            name = name.substr(0, name.size() - s.size());
            break;
          }
        }
      }
      CHECK(types.count(name) == 1);
    }
  }
}

// The value of the series named exactly `series` (with its labels), if present.
std::optional<double> metric(const std::string& text, const std::string& series) {
  for (const std::string& line : lines_of(text)) {
    const auto sp = line.rfind(' ');
    if (sp != std::string::npos && line.compare(0, sp, series) == 0 && sp == series.size())
      return std::stod(line.substr(sp + 1));
  }
  return std::nullopt;
}

int latest_schema_version() {
  auto [code, out] = Daemon::run_cli({"version"});
  std::smatch m;
  static const std::regex schema(R"(schema (\d+))");
  REQUIRE(code == 0);
  REQUIRE(std::regex_search(out, m, schema));
  return std::stoi(m[1]);
}

std::int64_t create_org(HttpClient& admin, const std::string& name) {
  return create_id(admin, "organisations", json::object{{"name", name}});
}

std::int64_t create_user(HttpClient& admin, std::int64_t org_id, const std::string& email,
                         const std::string& role, const std::string& password) {
  return create_id(admin, "users",
                   json::object{{"org_id", org_id}, {"email", email}, {"role", role},
                                {"password", password}, {"display_name", email}});
}

HttpResponse try_login(std::uint16_t port, const std::string& email, const std::string& password) {
  HttpClient c(port);
  return c.post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}});
}

bool is_problem(const HttpResponse& r) {
  return r.header("content-type").rfind("application/problem+json", 0) == 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Health, metrics, API description

TEST_CASE(
    "/healthz and /readyz answer 200, and /metrics is Prometheus text with request, commit and "
    "queue figures, and /api/v1/openapi.json is OpenAPI 3.1 and describes every path used here") {
  Daemon d;
  d.start();
  HttpClient anon = d.client();
  auto health = anon.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.json().at("status").as_string() == "ok");
  CHECK(anon.get("/readyz").status == 200);

  HttpClient admin = d.admin();
  const std::int64_t id = create_id(admin, "contacts", {{"first_name", "Metric"}, {"last_name", "Counted"}});
  CHECK(admin.get("/api/v1/contacts/" + std::to_string(id)).status == 200);
  CHECK(admin.get("/api/v1/contacts/" + std::to_string(id + 1000)).status == 404);
  CHECK(anon.get("/api/v1/no/such/path/42").status == 404);  // outside /api/ is the web app's

  auto m = anon.get("/metrics");
  REQUIRE(m.status == 200);
  CHECK(m.header("content-type").rfind("text/plain", 0) == 0);
  CHECK(m.header("content-type").find("version=0.0.4") != std::string::npos);
  check_prometheus_text(m.body);
  // Requests are counted by route pattern, method and status: never by raw path.
  CHECK(metric(m.body, R"(relance_http_requests_total{method="POST",route="/api/v1/contacts",status="201"})") == 1.0);
  CHECK(metric(m.body, R"(relance_http_requests_total{method="GET",route="/api/v1/contacts/{id}",status="200"})") == 1.0);
  CHECK(metric(m.body, R"(relance_http_requests_total{method="GET",route="/api/v1/contacts/{id}",status="404"})") == 1.0);
  CHECK(metric(m.body, R"(relance_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"})") == 1.0);
  CHECK(m.body.find("/api/v1/contacts/" + std::to_string(id)) == std::string::npos);
  CHECK(m.body.find("/no/such/path") == std::string::npos);
  // The writer's figures: the login and the create were committed, nothing waits.
  auto commits = metric(m.body, "relance_db_commits_total");
  REQUIRE(commits);
  CHECK(*commits >= 2);
  auto depth = metric(m.body, "relance_db_write_queue_depth");
  REQUIRE(depth);
  CHECK(*depth >= 0);

  auto o = anon.get("/api/v1/openapi.json");
  REQUIRE(o.status == 200);
  CHECK(o.header("content-type").rfind("application/json", 0) == 0);
  auto doc = o.json().as_object();
  const std::string version(doc.at("openapi").as_string());
  CHECK(version.rfind("3.1.", 0) == 0);
  const auto& paths = doc.at("paths").as_object();
  const std::vector<std::pair<std::string, std::string>> used{
      {"get", "/healthz"},
      {"get", "/readyz"},
      {"get", "/metrics"},
      {"get", "/api/v1/openapi.json"},
      {"post", "/api/v1/auth/login"},
      {"post", "/api/v1/auth/logout"},
      {"get", "/api/v1/me"},
      {"get", "/api/v1/contacts"},
      {"post", "/api/v1/contacts"},
      {"get", "/api/v1/contacts/{id}"},
      {"patch", "/api/v1/contacts/{id}"},
      {"delete", "/api/v1/contacts/{id}"},
      {"post", "/api/v1/leads"},
      {"get", "/api/v1/leads/{id}"},
      {"patch", "/api/v1/leads/{id}"},
      {"delete", "/api/v1/leads/{id}"},
      {"get", "/api/v1/activities"},
      {"get", "/api/v1/tokens"},
      {"post", "/api/v1/tokens"},
      {"delete", "/api/v1/tokens/{id}"},
      {"post", "/api/v1/users"},
      {"delete", "/api/v1/users/{id}"},
      {"post", "/api/v1/organisations"},
      {"get", "/api/v1/audit"},
  };
  for (const auto& [method, path] : used) {
    INFO(method << " " << path);
    const auto* item = paths.if_contains(path);
    REQUIRE(item);
    CHECK(item->as_object().contains(method));
  }
  auto parameter_names = [&](const std::string& path, const std::string& method) {
    std::set<std::string> names;
    const auto& op = paths.at(path).at(method).as_object();
    if (const auto* ps = op.if_contains("parameters"))
      for (const auto& p : ps->as_array()) names.insert(std::string(p.at("name").as_string()));
    return names;
  };
  const auto list_params = parameter_names("/api/v1/contacts", "get");
  for (const char* p : {"limit", "cursor", "sort", "q"}) {
    INFO("GET /api/v1/contacts parameter " << p);
    CHECK(list_params.count(p) == 1);
  }
  CHECK(parameter_names("/api/v1/leads/{id}", "patch").count("If-Match") == 1);
  CHECK(parameter_names("/api/v1/contacts", "post").count("Idempotency-Key") == 1);
}

TEST_CASE(
    "after a burst of creates the write-ahead log shrinks back under storage.wal_limit_bytes "
    "while reads go on, and /metrics shows its size and the latest checkpoint") {
  constexpr std::int64_t limit = 256 * 1024;
  Daemon d({{"RELANCE_STORAGE_WAL_LIMIT_BYTES", std::to_string(limit)}});
  d.start();
  HttpClient admin = d.admin();
  const std::string wal = d.database() + "-wal";
  // The burst: four clients creating contacts with 12 kB of notes each. Nothing reads the
  // database meanwhile, so between two checkpoints (twice a second) the log may start over;
  // rows this large still take it well past the limit before it can, even on a slow machine.
  // The log's high-water mark is sampled during the burst: on a loaded machine the
  // checkpointer may already truncate it once before the last create, so its size when the
  // writers are done says nothing about how far it grew.
  std::atomic<bool> bursting{true};
  std::atomic<std::int64_t> largest_wal{0};
  std::thread sampler([&] {
    while (bursting.load()) {
      std::error_code ec;
      const auto size = static_cast<std::int64_t>(fs::file_size(wal, ec));
      if (!ec && size > largest_wal.load()) largest_wal.store(size);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::vector<std::thread> writers;
  std::atomic<int> created{0};
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      HttpClient c = client_with(d.port(), admin.token());
      for (int i = 0; i < 300; ++i) {
        json::object body{{"first_name", "Burst" + std::to_string(w)},
                          {"last_name", "Number" + std::to_string(i)},
                          {"notes", std::string(12000, 'n')}};
        if (c.post("/api/v1/contacts", body).status == 201) created.fetch_add(1);
      }
    });
  for (auto& t : writers) t.join();
  bursting.store(false);
  sampler.join();
  REQUIRE(created.load() == 1200);
  REQUIRE(largest_wal.load() > 2 * limit);
  // Reads go on meanwhile (each reader connection keeps its snapshot between requests).
  std::int64_t wal_bytes = 0;
  std::optional<double> reported;
  std::string m;
  for (int i = 0; i < 300; ++i) {  // 15 s at most
    CHECK(admin.get("/api/v1/contacts?limit=5").status == 200);
    auto r = admin.get("/metrics");
    REQUIRE(r.status == 200);
    m = r.body;
    wal_bytes = static_cast<std::int64_t>(fs::file_size(wal));
    reported = metric(m, "relance_db_wal_bytes");
    if (wal_bytes <= limit && reported && *reported <= limit) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO("metrics: " << m);
  CHECK(wal_bytes <= limit);
  REQUIRE(reported);
  CHECK(*reported <= limit);
  check_prometheus_text(m);
  CHECK(metric(m, "relance_db_wal_limit_bytes") == static_cast<double>(limit));
  CHECK(metric(m, "relance_db_wal_truncations_total") >= 1.0);
  CHECK(metric(m, "relance_db_wal_truncations_busy_total") >= 0.0);
  const bool passive = metric(m, R"(relance_db_last_checkpoint_info{mode="passive"})") == 1.0;
  const bool truncate = metric(m, R"(relance_db_last_checkpoint_info{mode="truncate"})") == 1.0;
  CHECK(passive != truncate);  // one mode, the latest's
  CHECK(metric(m, "relance_db_last_checkpoint_log_frames") >= 0.0);
  CHECK(metric(m, "relance_db_last_checkpoint_checkpointed_frames") >= 0.0);
  CHECK(metric(m, "relance_db_last_checkpoint_busy") >= 0.0);
  const auto at = metric(m, "relance_db_last_checkpoint_timestamp_seconds");
  REQUIRE(at);
  CHECK(std::abs(*at - static_cast<double>(std::time(nullptr))) < 60);
}

// ---------------------------------------------------------------------------------------
// Shutdown

TEST_CASE(
    "SIGTERM drains: requests in flight are answered completely, the daemon exits 0 saying it "
    "stopped cleanly, and the data is there after restart") {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  Daemon d;
  d.start();
  const std::uint16_t port = d.port();
  const std::string token = d.admin().token();

  // A slow stream of creates from two clients.
  struct Answer {
    int status;
    std::string body;
  };
  std::vector<std::vector<Answer>> answers(2);
  std::atomic<bool> done{false};
  std::vector<std::thread> stream;
  for (std::size_t t = 0; t < answers.size(); ++t) {
    stream.emplace_back([&, t] {
      HttpClient c = client_with(port, token);
      for (int n = 0; !done.load(); ++n) {
        try {
          auto r = c.post("/api/v1/contacts", json::object{{"first_name", "Stream" + std::to_string(t) + "-" + std::to_string(n)},
                                                          {"last_name", "Drain"}});
          answers[t].push_back({r.status, r.body});
        } catch (const std::exception&) {
          return;  // refused or closed without an answer: the daemon is stopping
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }

  // And one request whose body is still on its way when SIGTERM arrives.
  const std::string body = json::serialize(json::object{{"first_name", "InFlight"}, {"last_name", "Drain"}});
  asio::io_context io;
  beast::tcp_stream s(io);
  s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  const std::string head = "POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n";
  asio::write(s, asio::buffer(head));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the daemon has read the head

  int exit_code = -100;
  std::thread stopper([&] { exit_code = d.stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  // Draining: no new connection is accepted, but the request in flight is still awaited.
  CHECK_THROWS(HttpClient(port).get("/healthz"));
  asio::write(s, asio::buffer(body));
  s.expires_after(std::chrono::seconds(30));
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  beast::error_code ec;
  http::read(s, buf, res, ec);
  INFO("in-flight request: " << ec.message() << " " << res.result_int() << " " << res.body());
  REQUIRE(!ec);
  CHECK(res.result_int() == 201);
  CHECK(!res.keep_alive());  // answered with Connection: close
  const std::int64_t in_flight_id = json::parse(res.body()).at("id").as_int64();

  stopper.join();
  done = true;
  for (auto& th : stream) th.join();
  CHECK(exit_code == 0);
  const std::string log = d.log();
  INFO(log);
  CHECK(log.find("stopped cleanly") != std::string::npos);

  std::vector<std::pair<std::int64_t, std::string>> acked;
  for (const auto& per_client : answers)
    for (const auto& a : per_client) {
      INFO("stream answer " << a.status << " " << a.body);
      CHECK(a.status == 201);
      json::value v;
      REQUIRE_NOTHROW(v = json::parse(a.body));  // complete: the whole JSON document arrived
      acked.emplace_back(v.at("id").as_int64(), std::string(v.at("first_name").as_string()));
    }
  CHECK(!acked.empty());

  d.start();
  HttpClient c = client_with(d.port(), token);
  auto back = c.get("/api/v1/contacts/" + std::to_string(in_flight_id));
  REQUIRE(back.status == 200);
  CHECK(back.json().at("first_name").as_string() == "InFlight");
  std::map<std::int64_t, std::string> present;
  for (const auto& item : walk(c, "/api/v1/contacts", "", 200))
    present[item.at("id").as_int64()] = std::string(item.at("first_name").as_string());
  for (const auto& [id, name] : acked) {
    INFO("contact " << id << " " << name);
    CHECK(present.count(id) == 1);
    CHECK(present[id] == name);
  }
}

// ---------------------------------------------------------------------------------------
// Operator commands

TEST_CASE("relance version prints its version") {
  auto [code, out] = Daemon::run_cli({"version"});
  INFO(out);
  CHECK(code == 0);
  CHECK(std::regex_search(out, std::regex(R"(^relance \d+\.\d+\.\d+)")));
}

TEST_CASE(
    "relance init creates the data directory, the database and the admin, and a second init "
    "refuses and changes nothing, and relance migrate reports the schema up to date") {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  const std::string db = (dir / "relance.db").string();
  auto [code, out] = Daemon::run_cli({"init", "--data-dir", dir.string(), "--admin-email", "Founder@Acme.test"},
                                     {{"RELANCE_ADMIN_PASSWORD", "first-password-123"}});
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(fs::exists(db));
  CHECK(sqlite(db, "PRAGMA integrity_check") == "ok");
  CHECK(sqlite(db, "SELECT email || ' ' || role FROM users") == "founder@acme.test admin");
  const std::string hash = sqlite(db, "SELECT password_hash FROM users");
  const std::string audit = sqlite(db, "SELECT count(*) || ' ' || max(id) FROM audit_log");
  const std::string orgs = sqlite(db, "SELECT group_concat(id || ':' || name) FROM organisations");

  auto [code2, out2] = Daemon::run_cli({"init", "--data-dir", dir.string(), "--admin-email", "intruder@acme.test"},
                                       {{"RELANCE_ADMIN_PASSWORD", "second-password-456"}});
  INFO(out2);
  CHECK(code2 != 0);
  CHECK(lower(out2).find("already") != std::string::npos);
  CHECK(sqlite(db, "SELECT email || ' ' || role FROM users") == "founder@acme.test admin");
  CHECK(sqlite(db, "SELECT password_hash FROM users") == hash);
  CHECK(sqlite(db, "SELECT count(*) || ' ' || max(id) FROM audit_log") == audit);
  CHECK(sqlite(db, "SELECT group_concat(id || ':' || name) FROM organisations") == orgs);

  auto [code3, out3] = Daemon::run_cli({"migrate", "--data-dir", dir.string()});
  INFO(out3);
  CHECK(code3 == 0);
  CHECK(out3.find("up to date") != std::string::npos);
  CHECK(out3.find(std::to_string(latest_schema_version())) != std::string::npos);
  CHECK(sqlite(db, "PRAGMA user_version") == std::to_string(latest_schema_version()));
}

TEST_CASE(
    "relance backup copies a live database into a file that passes integrity_check and holds "
    "the rows created before") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  for (const char* name : {"Backup-One", "Backup-Two", "Backup-Three"})
    create_id(admin, "contacts", {{"first_name", name}, {"last_name", "Saved"}});

  TempDir out_dir;
  const std::string file = out_dir.file("relance-backup.db");
  auto [code, out] = Daemon::run_cli({"backup", "--data-dir", d.data_dir().string(), "-o", file});
  INFO(out);
  REQUIRE(code == 0);
  REQUIRE(fs::exists(file));
  CHECK(sqlite(file, "PRAGMA integrity_check") == "ok");
  CHECK(sqlite(file, "SELECT group_concat(first_name, ',') FROM (SELECT first_name FROM contacts ORDER BY id)") ==
        "Backup-One,Backup-Two,Backup-Three");
  CHECK(sqlite(file, "PRAGMA user_version") == std::to_string(latest_schema_version()));

  // The daemon went on serving meanwhile.
  CHECK(admin.get("/readyz").status == 200);
  create_id(admin, "contacts", {{"first_name", "After-Backup"}, {"last_name", "Saved"}});
  CHECK(d.stop() == 0);
}

TEST_CASE(
    "the daemon refuses to start on a database whose schema is newer than it knows, naming both "
    "versions, and leaves it as it was") {
  Daemon d;
  d.start();
  REQUIRE(d.stop() == 0);
  const int latest = latest_schema_version();
  const int newer = latest + 41;
  sqlite(d.database(), "PRAGMA user_version = " + std::to_string(newer));

  auto [code, out] = serve_expecting_exit(d.data_dir());
  INFO(out);
  CHECK(code != 0);
  CHECK(code != 124);  // it exited by itself rather than serving
  CHECK(out.find("serving") == std::string::npos);
  CHECK(out.find(std::to_string(newer)) != std::string::npos);
  CHECK(std::regex_search(out, std::regex("\\b" + std::to_string(latest) + "\\b")));
  CHECK(lower(out).find("newer") != std::string::npos);
  CHECK(sqlite(d.database(), "PRAGMA user_version") == std::to_string(newer));
}

TEST_CASE(
    "an [outbound] allow list of IPv4 and IPv6 entries, in relance.toml or the environment, starts the daemon, and "
    "an entry that is not an address refuses the start naming it") {
  {
    Daemon d;
    std::ofstream(d.data_dir() / "relance.toml")
        << "[outbound]\nallow = [\"127.0.0.1:2525\", \"[::1]:2525\", \"fd00::/8\", \"10.0.0.0/8:25\"]\n";
    d.start();
    CHECK(d.stop() == 0);
  }
  {
    Daemon d(std::map<std::string, std::string>{{"RELANCE_OUTBOUND_ALLOW", "127.0.0.1:2525,[::1]:2525"}});
    d.start();
    CHECK(d.stop() == 0);
  }
  TempDir tmp;
  std::ofstream(tmp.path() / "relance.toml") << "[outbound]\nallow = [\"127.0.0.1:2525\", \"smtp.example.org:25\"]\n";
  auto [code, out] = serve_expecting_exit(tmp.path());
  INFO(out);
  CHECK(code != 0);
  CHECK(code != 124);  // it exited by itself rather than serving
  CHECK(out.find("outbound.allow") != std::string::npos);
  CHECK(out.find("\"smtp.example.org:25\" is not an IP address") != std::string::npos);
}

TEST_CASE("the daemon refuses to start on a file that is not a database, and leaves it alone") {
  TempDir tmp;
  const fs::path db = tmp.path() / "relance.db";
  {
    std::ofstream f(db, std::ios::binary);
    for (int i = 0; i < 400; ++i) f << "These are the minutes of the mission, not a database. ";
  }
  const std::string before = file_bytes(db);

  auto [code, out] = serve_expecting_exit(tmp.path());
  INFO(out);
  CHECK(code != 0);
  CHECK(code != 124);
  CHECK(out.find("serving") == std::string::npos);
  CHECK(lower(out).find("not a database") != std::string::npos);
  CHECK(file_bytes(db) == before);
}

// ---------------------------------------------------------------------------------------
// Logins and tokens

TEST_CASE(
    "login: a wrong password gets 401, and after 10 wrong passwords for one email, 429 with "
    "Retry-After even with the right password") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const std::int64_t org = create_org(admin, "Lockout Labs");
  create_user(admin, org, "target@lockout.test", "member", "right-password-123");

  auto unknown = try_login(d.port(), "nobody@lockout.test", "whatever-password");
  CHECK(unknown.status == 401);
  for (int i = 1; i <= 10; ++i) {
    auto r = try_login(d.port(), "target@lockout.test", "wrong-password-" + std::to_string(i));
    INFO("wrong password #" << i << ": " << r.status << " " << r.body);
    CHECK(r.status == 401);
    CHECK(is_problem(r));
    CHECK(r.body.find("right-password") == std::string::npos);
  }
  auto locked = try_login(d.port(), "target@lockout.test", "right-password-123");
  INFO(locked.body);
  CHECK(locked.status == 429);
  CHECK(is_problem(locked));
  const std::string retry_after = locked.header("retry-after");
  REQUIRE(!retry_after.empty());
  CHECK(std::regex_match(retry_after, std::regex("[1-9][0-9]*")));
  // The same email written differently is the same account.
  CHECK(try_login(d.port(), "Target@Lockout.TEST", "right-password-123").status == 429);
  // Only that account is locked.
  CHECK(try_login(d.port(), admin_email, admin_password).status == 200);
}

TEST_CASE(
    "tokens: a new token is shown once and never listed, and a revoked token gets 401 at once, and "
    "logout revokes the session token") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();

  auto created = admin.post("/api/v1/tokens", json::object{{"name", "exporter on the CI"}});
  REQUIRE(created.status == 201);
  const auto tok = created.json().as_object();
  const std::string secret(tok.at("token").as_string());
  const std::int64_t token_id = tok.at("id").as_int64();
  REQUIRE(secret.size() >= 20);

  HttpClient ci = client_with(d.port(), secret);
  CHECK(ci.get("/api/v1/me").status == 200);

  auto listed = admin.get("/api/v1/tokens");
  REQUIRE(listed.status == 200);
  CHECK(listed.body.find(secret) == std::string::npos);
  bool found = false;
  const json::value listed_doc = listed.json();
  for (const auto& item : listed_doc.at("items").as_array()) {
    CHECK(!item.as_object().contains("token"));
    CHECK(!item.as_object().contains("token_hash"));
    if (item.at("id").as_int64() == token_id) found = true;
  }
  CHECK(found);
  // Nor does the audit log keep it.
  auto audit = admin.get("/api/v1/audit?limit=200");
  REQUIRE(audit.status == 200);
  CHECK(audit.body.find(secret) == std::string::npos);
  CHECK(audit.body.find(admin.token()) == std::string::npos);

  auto revoked = admin.del("/api/v1/tokens/" + std::to_string(token_id));
  CHECK(revoked.status == 204);
  auto after = ci.get("/api/v1/me");
  CHECK(after.status == 401);
  CHECK(is_problem(after));
  CHECK(ci.get("/api/v1/contacts").status == 401);
  CHECK(ci.post("/api/v1/contacts", json::object{{"first_name", "Nope"}}).status == 401);

  // Logout: the session token of this request stops working; another session does not.
  HttpClient other = d.admin();
  auto out = admin.request("POST", "/api/v1/auth/logout");
  CHECK(out.status == 204);
  CHECK(admin.get("/api/v1/me").status == 401);
  CHECK(other.get("/api/v1/me").status == 200);
}

TEST_CASE(
    "a token revoked while it is in use gets 401 from the moment the revocation is answered, "
    "however busy it was") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  constexpr int rounds = 8;
  int stale_answers = 0;
  std::string first_stale;
  for (int round = 0; round < rounds; ++round) {
    auto created = admin.post("/api/v1/tokens", json::object{{"name", "busy " + std::to_string(round)}});
    REQUIRE(created.status == 201);
    const std::string secret(created.json().at("token").as_string());
    const std::int64_t token_id = created.json().at("id").as_int64();
    // Clients keep using the token while it is revoked.
    std::atomic<bool> stop{false};
    std::vector<std::thread> users;
    for (int t = 0; t < 3; ++t)
      users.emplace_back([&] {
        HttpClient c = client_with(d.port(), secret);
        while (!stop.load()) {
          try {
            c.get("/api/v1/me");
          } catch (const std::exception&) {
            return;
          }
        }
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    auto revoked = admin.del("/api/v1/tokens/" + std::to_string(token_id));
    CHECK(revoked.status == 204);
    HttpClient probe = client_with(d.port(), secret);
    for (int i = 0; i < 20; ++i)
      if (auto r = probe.get("/api/v1/me"); r.status != 401 && ++stale_answers == 1)
        first_stale = std::to_string(r.status) + " " + r.body;
    stop = true;
    for (auto& u : users) u.join();
  }
  INFO(stale_answers << " requests with a revoked token were answered after the revocation's 204, "
                     "the first: " << first_stale);
  CHECK(stale_answers == 0);
}

TEST_CASE("a user disabled by their org-admin can no longer log in or use their tokens") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const std::int64_t org = create_org(admin, "Gamma Drones");
  create_user(admin, org, "boss@gamma.test", "org-admin", "boss-password-123");
  const std::int64_t leaver = create_user(admin, org, "leaver@gamma.test", "member", "leaver-password-123");
  HttpClient boss = login(d.port(), "boss@gamma.test", "boss-password-123");
  HttpClient session = login(d.port(), "leaver@gamma.test", "leaver-password-123");
  auto t = session.post("/api/v1/tokens", json::object{{"name", "script"}});
  REQUIRE(t.status == 201);
  HttpClient personal = client_with(d.port(), std::string(t.json().at("token").as_string()));
  CHECK(session.get("/api/v1/me").status == 200);
  CHECK(personal.get("/api/v1/me").status == 200);

  auto disabled = boss.del("/api/v1/users/" + std::to_string(leaver));
  INFO(disabled.body);
  REQUIRE(disabled.status == 200);
  CHECK(disabled.json().at("disabled") == json::value(true));

  CHECK(session.get("/api/v1/me").status == 401);
  CHECK(personal.get("/api/v1/me").status == 401);
  CHECK(personal.post("/api/v1/contacts", json::object{{"first_name", "Nope"}}).status == 401);
  CHECK(try_login(d.port(), "leaver@gamma.test", "leaver-password-123").status == 401);
  // The org-admin is unaffected.
  CHECK(boss.get("/api/v1/me").status == 200);
}

TEST_CASE(
    "a password reset and a disable revoke every session and personal token of the user, and "
    "re-enabling the user does not revive them") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const std::int64_t org = create_org(admin, "Epsilon Labs");
  create_user(admin, org, "boss@epsilon.test", "org-admin", "boss-password-123");
  const std::int64_t user = create_user(admin, org, "user@epsilon.test", "member", "user-password-123");
  HttpClient boss = login(d.port(), "boss@epsilon.test", "boss-password-123");
  const std::string url = "/api/v1/users/" + std::to_string(user);
  // Two sessions and a personal token of the user, all working.
  auto tokens_of_user = [&](const std::string& password) {
    std::vector<HttpClient> out;
    out.push_back(login(d.port(), "user@epsilon.test", password));
    out.push_back(login(d.port(), "user@epsilon.test", password));
    auto t = out.front().post("/api/v1/tokens", json::object{{"name", "script"}});
    REQUIRE(t.status == 201);
    out.push_back(client_with(d.port(), std::string(t.json().at("token").as_string())));
    for (HttpClient& c : out) REQUIRE(c.get("/api/v1/me").status == 200);
    return out;
  };
  auto all_refused = [](std::vector<HttpClient>& clients) {
    for (std::size_t i = 0; i < clients.size(); ++i) {
      INFO("token " << i << " of the user (the last one personal)");
      CHECK(clients[i].get("/api/v1/me").status == 401);
      CHECK(clients[i].post("/api/v1/contacts", json::object{{"first_name", "Nope"}}).status == 401);
    }
  };

  SECTION("a password reset by the org-admin") {
    auto before = tokens_of_user("user-password-123");
    auto r = boss.patch(url, json::object{{"password", "a-reset-password-1"}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    all_refused(before);
    CHECK(try_login(d.port(), "user@epsilon.test", "user-password-123").status == 401);
    // Each revocation is in the audit log, as the org-admin's doing.
    const auto boss_id = boss.get("/api/v1/me").json().at("id").as_int64();
    auto audit = boss.get("/api/v1/audit?limit=50");
    REQUIRE(audit.status == 200);
    const json::value entries = audit.json();
    int revocations = 0;
    for (const auto& item : entries.at("items").as_array())
      if (item.at("entity") == "api_tokens" && item.at("user_id") == boss_id &&
          item.at("changes").as_object().contains("revoked_at"))
        ++revocations;
    CHECK(revocations == 3);
    // The new password logs in, and its sessions work.
    auto after = tokens_of_user("a-reset-password-1");
    CHECK(after.front().get("/api/v1/me").status == 200);
  }
  SECTION("a disable by the org-admin, with PATCH or DELETE, then a re-enable") {
    for (const bool with_delete : {false, true}) {
      INFO((with_delete ? "DELETE" : "PATCH {\"disabled\": true}"));
      // The second time, these are new logins after the re-enable: they work again.
      auto before = tokens_of_user("user-password-123");
      auto r = with_delete ? boss.del(url) : boss.patch(url, json::object{{"disabled", true}});
      INFO(r.body);
      REQUIRE(r.status == 200);
      all_refused(before);
      REQUIRE(boss.patch(url, json::object{{"disabled", false}}).status == 200);
      all_refused(before);
    }
  }
  // The org-admin's own session was never touched.
  CHECK(boss.get("/api/v1/me").status == 200);
}

TEST_CASE(
    "changing one's own password needs the current one, and the session that changes it "
    "stays valid while the user's other sessions and tokens are revoked") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const std::int64_t org = create_org(admin, "Zeta Wind");
  const std::int64_t user = create_user(admin, org, "me@zeta.test", "member", "my-password-123");
  const std::string url = "/api/v1/users/" + std::to_string(user);
  HttpClient session = login(d.port(), "me@zeta.test", "my-password-123");
  HttpClient other_session = login(d.port(), "me@zeta.test", "my-password-123");
  auto t = other_session.post("/api/v1/tokens", json::object{{"name", "script"}});
  REQUIRE(t.status == 201);
  HttpClient personal = client_with(d.port(), std::string(t.json().at("token").as_string()));
  const std::string as_it_was = admin.get(url).body;

  // Refused without the current password, or with a wrong one: 403 naming the field, and
  // nothing changes.
  for (const json::object& body :
       {json::object{{"password", "a-new-password-1"}},
        json::object{{"password", "a-new-password-1"}, {"current_password", "not-my-password"}},
        json::object{{"password", "a-new-password-1"}, {"current_password", ""}}}) {
    auto r = session.patch(url, body);
    INFO(json::serialize(body) << " -> " << r.status << " " << r.body);
    CHECK(r.status == 403);
    CHECK(is_problem(r));
    CHECK(r.json().at("field") == "current_password");
  }
  CHECK(admin.get(url).body == as_it_was);
  CHECK(try_login(d.port(), "me@zeta.test", "my-password-123").status == 200);
  for (HttpClient* c : {&session, &other_session, &personal}) CHECK(c->get("/api/v1/me").status == 200);

  auto r = session.patch(url, json::object{{"password", "a-new-password-1"},
                                           {"current_password", "my-password-123"}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK_FALSE(r.json().as_object().contains("current_password"));
  CHECK(session.get("/api/v1/me").status == 200);
  CHECK(other_session.get("/api/v1/me").status == 401);
  CHECK(personal.get("/api/v1/me").status == 401);
  CHECK(try_login(d.port(), "me@zeta.test", "my-password-123").status == 401);
  CHECK(try_login(d.port(), "me@zeta.test", "a-new-password-1").status == 200);
}

TEST_CASE(
    "guessing one's own current password through an open session counts as failed logins, "
    "and after 10 wrong ones answers 429 with Retry-After there and on the login page") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const std::int64_t org = create_org(admin, "Eta Foods");
  const std::int64_t user = create_user(admin, org, "guessed@eta.test", "member", "right-password-123");
  const std::string url = "/api/v1/users/" + std::to_string(user);
  HttpClient stolen = login(d.port(), "guessed@eta.test", "right-password-123");
  const std::string as_it_was = admin.get(url).body;
  for (int i = 1; i <= 10; ++i) {
    auto r = stolen.patch(url, json::object{{"password", "attacker-password-1"},
                                            {"current_password", "guess-" + std::to_string(i)}});
    INFO("wrong guess #" << i << ": " << r.status << " " << r.body);
    CHECK(r.status == 403);
  }
  auto locked = stolen.patch(url, json::object{{"password", "attacker-password-1"},
                                               {"current_password", "right-password-123"}});
  INFO(locked.body);
  CHECK(locked.status == 429);
  CHECK(is_problem(locked));
  CHECK(std::regex_match(locked.header("retry-after"), std::regex("[1-9][0-9]*")));
  CHECK(try_login(d.port(), "guessed@eta.test", "right-password-123").status == 429);
  // The password did not change; the admin still resets it.
  CHECK(admin.get(url).body == as_it_was);
  CHECK(admin.patch(url, json::object{{"password", "a-reset-password-1"}}).status == 200);
}

// ---------------------------------------------------------------------------------------
// Audit log and pipeline history

TEST_CASE(
    "every write lands in the audit log: creating, changing and deleting a contact show who, "
    "when and which fields changed, and a refused write adds nothing") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const std::int64_t org = create_org(admin, "Delta Bio");
  create_user(admin, org, "owner@delta.test", "org-admin", "owner-password-123");
  auto logged_in = try_login(d.port(), "owner@delta.test", "owner-password-123");
  REQUIRE(logged_in.status == 200);
  const std::int64_t owner_id = logged_in.json().at("user").at("id").as_int64();
  HttpClient owner = client_with(d.port(), std::string(logged_in.json().at("token").as_string()));

  const std::string t0 = utc_now_seconds();
  const std::int64_t id = create_id(owner, "contacts", {{"first_name", "Ada"}, {"last_name", "Lovelace"}});
  const std::string url = "/api/v1/contacts/" + std::to_string(id);
  auto changed = owner.patch(url, json::object{{"city", "Lyon"}}, {{"If-Match", "\"" + std::to_string(id) + "-1\""}});
  REQUIRE(changed.status == 200);
  // Refused writes: a stale If-Match, an invalid field.
  CHECK(owner.patch(url, json::object{{"city", "Grenoble"}}, {{"If-Match", "\"" + std::to_string(id) + "-1\""}}).status == 412);
  CHECK(owner.patch(url, json::object{{"emails", json::array{"not an email"}}}).status == 422);
  CHECK(owner.del(url).status == 204);
  const std::string t1 = utc_now_seconds();

  auto r = owner.get("/api/v1/audit?limit=10");
  REQUIRE(r.status == 200);
  const auto items = r.json().at("items").as_array();
  INFO(r.body);
  REQUIRE(items.size() >= 4);
  const char* actions[] = {"delete", "update", "create"};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& e = items[i].as_object();
    INFO("audit entry " << i << ": " << json::serialize(e));
    CHECK(e.at("action").as_string() == actions[i]);
    CHECK(e.at("entity").as_string() == "contacts");
    CHECK(e.at("entity_id").as_int64() == id);
    CHECK(e.at("user_id").as_int64() == owner_id);
    const std::string at(e.at("at").as_string());
    REQUIRE(at.size() >= 19);
    CHECK(std::regex_match(at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))")));
    CHECK(at.substr(0, 19) >= t0);
    CHECK(at.substr(0, 19) <= t1);
  }
  // Before them: the owner's login, not a trace of the refused writes.
  CHECK(items[3].at("entity").as_string() != "contacts");

  const auto& create_changes = items[2].at("changes").as_object();
  CHECK(create_changes.at("first_name") == json::array{nullptr, "Ada"});
  CHECK(create_changes.at("last_name") == json::array{nullptr, "Lovelace"});
  const auto& update_changes = items[1].at("changes").as_object();
  CHECK(update_changes == json::object{{"city", json::array{nullptr, "Lyon"}}});
  const auto& delete_changes = items[0].at("changes").as_object();
  CHECK(delete_changes.at("first_name") == json::array{"Ada", nullptr});
  CHECK(delete_changes.at("city") == json::array{"Lyon", nullptr});

  // The audit log is for org-admins.
  const std::int64_t member_org = org;
  create_user(admin, member_org, "intern@delta.test", "member", "intern-password-123");
  HttpClient intern = login(d.port(), "intern@delta.test", "intern-password-123");
  CHECK(intern.get("/api/v1/audit").status == 403);
}

TEST_CASE("a lead's stage change is kept as a stage-change activity with from_stage and to_stage") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const std::int64_t me = admin.get("/api/v1/me").json().at("id").as_int64();
  const std::int64_t contact = create_id(admin, "contacts", {{"first_name", "Grace"}, {"last_name", "Hopper"}});
  auto lead = admin.post("/api/v1/leads", json::object{{"title", "Pilot with a Santa Clara chip maker"},
                                                       {"contact_id", contact}});
  REQUIRE(lead.status == 201);
  const std::int64_t id = lead.json().at("id").as_int64();
  const std::string from(lead.json().at("stage").as_string());
  REQUIRE(from == "new");

  auto moved = admin.patch("/api/v1/leads/" + std::to_string(id), json::object{{"stage", "meeting"}});
  REQUIRE(moved.status == 200);
  CHECK(moved.json().at("stage").as_string() == "meeting");
  // A change that is not a stage change makes no activity.
  CHECK(admin.patch("/api/v1/leads/" + std::to_string(id), json::object{{"notes", "Met at the booth"}}).status == 200);

  auto acts = admin.get("/api/v1/activities?lead_id=" + std::to_string(id));
  REQUIRE(acts.status == 200);
  const auto items = acts.json().at("items").as_array();
  INFO(acts.body);
  REQUIRE(items.size() == 1);
  const auto& a = items[0].as_object();
  CHECK(a.at("kind").as_string() == "stage-change");
  CHECK(a.at("from_stage").as_string() == "new");
  CHECK(a.at("to_stage").as_string() == "meeting");
  CHECK(a.at("lead_id").as_int64() == id);
  CHECK(a.at("contact_id").as_int64() == contact);
  CHECK(a.at("author_id").as_int64() == me);

  // Both the lead change and the activity are audited.
  auto audit = admin.get("/api/v1/audit?limit=10");
  REQUIRE(audit.status == 200);
  bool lead_update = false, activity_create = false;
  const json::value audit_doc = audit.json();
  for (const auto& e : audit_doc.at("items").as_array()) {
    if (e.at("entity") == "leads" && e.at("action") == "update" &&
        e.at("changes").as_object().contains("stage"))
      lead_update = e.at("changes").at("stage") == json::array{"new", "meeting"};
    if (e.at("entity") == "activities" && e.at("action") == "create" &&
        e.at("entity_id") == a.at("id"))
      activity_create = true;
  }
  CHECK(lead_update);
  CHECK(activity_create);
}

// ---------------------------------------------------------------------------------------
// Pagination

TEST_CASE(
    "cursor pagination: walking 120 contacts 50 at a time returns each exactly once, also "
    "sorted by -last_name") {
  Daemon d;
  d.start();
  const std::string token = d.admin().token();
  const std::vector<std::string> last_names{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit"};
  std::vector<std::set<std::int64_t>> ids(4);
  std::vector<std::thread> creators;
  std::atomic<int> failures{0};
  for (std::size_t t = 0; t < ids.size(); ++t)
    creators.emplace_back([&, t] {
      HttpClient c = client_with(d.port(), token);
      for (std::size_t i = t; i < 120; i += ids.size()) {
        json::object body{{"first_name", "Page" + std::to_string(i)}};
        if (i % 10 != 3) body["last_name"] = last_names[i % last_names.size()];  // some have none
        auto r = c.post("/api/v1/contacts", body);
        if (r.status != 201) {
          ++failures;
          continue;
        }
        ids[t].insert(r.json().at("id").as_int64());
      }
    });
  for (auto& th : creators) th.join();
  REQUIRE(failures == 0);
  std::set<std::int64_t> all;
  for (const auto& s : ids) all.insert(s.begin(), s.end());
  REQUIRE(all.size() == 120);

  HttpClient c = client_with(d.port(), token);
  {
    INFO("sorted by id (the default)");
    std::vector<std::size_t> sizes;
    const auto items = walk(c, "/api/v1/contacts", "", 50, &sizes);
    CHECK(sizes == std::vector<std::size_t>{50, 50, 20});
    std::multiset<std::int64_t> seen;
    for (const auto& item : items) seen.insert(item.at("id").as_int64());
    CHECK(seen.size() == 120);
    CHECK(std::set<std::int64_t>(seen.begin(), seen.end()) == all);
    for (std::size_t i = 1; i < items.size(); ++i) CHECK(items[i - 1].at("id").as_int64() < items[i].at("id").as_int64());
  }
  {
    INFO("sorted by -last_name");
    std::vector<std::size_t> sizes;
    const auto items = walk(c, "/api/v1/contacts", "sort=-last_name", 50, &sizes);
    CHECK(sizes == std::vector<std::size_t>{50, 50, 20});
    std::multiset<std::int64_t> seen;
    for (const auto& item : items) seen.insert(item.at("id").as_int64());
    CHECK(seen.size() == 120);
    CHECK(std::set<std::int64_t>(seen.begin(), seen.end()) == all);
    for (std::size_t i = 1; i < items.size(); ++i) {
      INFO("items " << i - 1 << " and " << i);
      auto last_name = [](const json::object& o) {
        const auto* v = o.if_contains("last_name");
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
      };
      CHECK(last_name(items[i - 1]) >= last_name(items[i]));
    }
    // A cursor only continues the order it was made for.
    auto first = c.get("/api/v1/contacts?limit=50&sort=-last_name");
    const std::string cursor(first.json().at("next_cursor").as_string());
    auto mixed = c.get("/api/v1/contacts?limit=50&cursor=" + cursor);
    CHECK(mixed.status == 400);
    CHECK(is_problem(mixed));
  }
}

namespace {

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// Every file and folder under `dir` (not `dir` itself) that is not private: "path 0644".
// The test harness's capture of the daemon's output (daemon-N.out) is the test's file.
std::vector<std::string> not_private_under(const fs::path& dir) {
  std::vector<std::string> loose;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename().string().starts_with("daemon-")) continue;
    const unsigned m = mode_of(e.path());
    if (m != (e.is_directory() ? 0700u : 0600u)) {
      char octal[8];
      std::snprintf(octal, sizeof octal, "%04o", m);
      loose.push_back(e.path().string() + " " + octal);
    }
  }
  return loose;
}

// The test process's umask for a while: the daemon and the commands it starts inherit it.
class Umask {
 public:
  explicit Umask(mode_t m) : old_(::umask(m)) {}
  ~Umask() { ::umask(old_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t old_;
};

}  // namespace

TEST_CASE(
    "under a umask of 0 the daemon's files stay private: data directory 0700, database WAL log keys "
    "imports and backup 0600") {
  Umask umask_0(0);
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  auto [code, out] = Daemon::run_cli({"init", "--data-dir", dir.string(), "--admin-email", "founder@acme.test"},
                                     {{"RELANCE_ADMIN_PASSWORD", "first-password-123"}});
  INFO(out);
  REQUIRE(code == 0);
  CHECK(mode_of(dir) == 0700);
  CHECK(fs::exists(dir / "secrets.key"));
  CHECK(not_private_under(dir).empty());

  // The daemon on a data directory the test made (0777 under this umask): what it creates
  // is private, and it says the directory is not.
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  create_id(admin, "contacts", {{"first_name", "Private"}, {"last_name", "Person"}});
  auto import = admin.request("POST", "/api/v1/imports", "first_name,last_name\nAda,Lovelace\n",
                              {{"Content-Type", "text/csv"}});
  REQUIRE(import.status == 202);
  REQUIRE(fs::exists(d.data_dir() / "relance.db-wal"));
  for (const char* name : {"relance.db", "relance.db-wal", "relance.db-shm", "relance.log", "secrets.key",
                           "link-signing.key"}) {
    INFO(name);
    CHECK(fs::exists(d.data_dir() / name));
  }
  const auto loose = not_private_under(d.data_dir());
  CHECK(loose == std::vector<std::string>{});
  CHECK(d.log().find(d.data_dir().string() + " has mode 0777") != std::string::npos);

  const std::string backup = tmp.file("backup.db");
  auto [bcode, bout] = Daemon::run_cli({"backup", "--data-dir", d.data_dir().string(), "-o", backup});
  INFO(bout);
  REQUIRE(bcode == 0);
  CHECK(mode_of(backup) == 0600);
  CHECK(bout.find("secrets.key") != std::string::npos);
  CHECK(d.stop() == 0);
}

TEST_CASE("serve warns at start about a database file that other local users can read") {
  Daemon d;
  d.start();
  REQUIRE(d.stop() == 0);
  CHECK(d.log().find("relance.db has mode") == std::string::npos);
  fs::permissions(d.database(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                    fs::perms::others_read);
  d.start();
  const std::string log = d.log();
  CHECK(log.find((d.data_dir() / "relance.db").string() + " has mode 0644") != std::string::npos);
  CHECK(d.stop() == 0);
}
