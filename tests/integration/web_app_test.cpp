// The web app as the daemon serves it (docs/security.md, "The web app"), seen from the
// HTTP side; the browser side is web_browser_test.
//
// Files: the page at / (never cached), hashed assets (cached a year) with their content
// types, gzip twins to clients that accept gzip, the app's paths answering its page, and no
// request reaching a file outside the app's folder (../, %2e%2e, encoded slashes, NUL).
// A daemon without the app answers / with a page that says so and serves the API.
// Session: a login that asks for a cookie gets it HttpOnly, SameSite=Lax, Path=/, Secure over
// TLS, and no token in its body; the cookie reads, and writes from the app's own origin
// only (403 otherwise, nothing written); bearer tokens are unaffected; logout clears it.
//
// Served files come from a fixture folder (RELANCE_WEB_ROOT) so that these tests need no
// Node.js; the built app is web_browser_test's.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "daemon.hpp"
#include "temp_dir.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string page = "<!doctype html><html lang=\"fr\"><head><script type=\"module\" src=\"/assets/app-4F2KX7QA.js\"></script></head><body><div id=\"app\"></div></body></html>\n";
const std::string script = "console.log(\"Relance\");\n";
const std::string secret = "the secret beside the app's folder\n";

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// A built app's shape, with a gzip twin of the script (made by gzip, as a browser would
// read it) and a file outside the app's folder that no request may reach.
struct AppFolder {
  AppFolder() {
    write(root() / "index.html", page);
    write(root() / "assets" / "app-4F2KX7QA.js", script);
    write(root() / "assets" / "app-4F2KX7QA.css", "main{color:#111}\n");
    write(root() / "favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write(dir.path() / "secret.txt", secret);
    auto [code, out] = shell("gzip -9 -k " + quoted((root() / "assets" / "app-4F2KX7QA.js").string()));
    INFO(out);
    REQUIRE(code == 0);
  }
  fs::path root() const { return dir.path() / "app"; }
  TempDir dir;
};

std::map<std::string, std::string> serving(const AppFolder& app, std::map<std::string, std::string> more = {}) {
  more["RELANCE_WEB_ROOT"] = app.root().string();
  return more;
}

void check_app_headers(const HttpResponse& r) {
  const std::string csp = r.header("content-security-policy");
  CHECK_THAT(csp, Catch::Contains("default-src 'self'"));
  CHECK_THAT(csp, Catch::Contains("frame-ancestors 'none'"));
  CHECK_THAT(csp, Catch::Contains("base-uri 'none'"));
  CHECK_THAT(csp, Catch::Contains("object-src 'none'"));
  CHECK_THAT(csp, !Catch::Contains("unsafe-inline"));
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(r.header("referrer-policy") == "no-referrer");
}

// The session cookie's value in a Set-Cookie header.
std::string cookie_value(const std::string& set_cookie) {
  const auto start = set_cookie.find('=') + 1;
  return set_cookie.substr(start, set_cookie.find(';') - start);
}

HttpResponse cookie_login(HttpClient& c, const Headers& headers = {}) {
  return c.post("/api/v1/auth/login", json::object{{"email", admin_email}, {"password", admin_password}, {"cookie", true}},
                headers);
}

std::size_t contact_count(const Daemon& d) {
  auto admin = d.admin();
  return list_all(admin, "contacts").size();
}

}  // namespace

TEST_CASE("The web app's page is served at / never cached, its hashed files cached for a year with their content types") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  const auto index = c.get("/");
  CHECK(index.status == 200);
  CHECK(index.header("content-type") == "text/html; charset=utf-8");
  CHECK(index.header("cache-control") == "no-cache");
  CHECK(index.body == page);
  check_app_headers(index);

  const auto js = c.request_unchecked("GET", "/assets/app-4F2KX7QA.js");
  CHECK(js.status == 200);
  CHECK(js.header("content-type") == "text/javascript; charset=utf-8");
  CHECK(js.header("cache-control") == "public, max-age=31536000, immutable");
  CHECK(js.body == script);
  check_app_headers(js);
  const auto css = c.get("/assets/app-4F2KX7QA.css");
  CHECK(css.header("content-type") == "text/css; charset=utf-8");
  const auto icon = c.request_unchecked("GET", "/favicon.svg");
  CHECK(icon.status == 200);
  CHECK(icon.header("content-type") == "image/svg+xml");
  CHECK(icon.header("cache-control") == "no-cache");
}

TEST_CASE("A client that accepts gzip gets the file's precompressed twin, any other the file itself") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  const auto zipped = c.request_unchecked("GET", "/assets/app-4F2KX7QA.js", {}, {{"Accept-Encoding", "gzip, deflate, br"}});
  CHECK(zipped.status == 200);
  CHECK(zipped.header("content-encoding") == "gzip");
  CHECK(zipped.header("vary") == "Accept-Encoding");
  CHECK(zipped.header("content-type") == "text/javascript; charset=utf-8");
  const std::string gz = app.dir.file("received.js.gz");
  std::ofstream(gz, std::ios::binary) << zipped.body;
  auto [code, out] = shell("gzip -dc " + quoted(gz));
  CHECK(code == 0);
  CHECK(out == script);

  const auto refused = c.request_unchecked("GET", "/assets/app-4F2KX7QA.js", {}, {{"Accept-Encoding", "gzip;q=0, identity"}});
  CHECK(refused.header("content-encoding").empty());
  CHECK(refused.body == script);
  const auto plain = c.request_unchecked("GET", "/assets/app-4F2KX7QA.js");
  CHECK(plain.header("content-encoding").empty());
  CHECK(plain.body == script);
}

TEST_CASE("The app's own paths answer its page, a file name that is not the app's answers 404, the API's paths stay the API's") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  for (const char* path : {"/contacts", "/contacts/12", "/login?next=%2Fcontacts", "/r%C3%A9glages"}) {
    INFO(path);
    const auto r = c.request_unchecked("GET", path);
    CHECK(r.status == 200);
    CHECK(r.body == page);
    CHECK(r.header("cache-control") == "no-cache");
    check_app_headers(r);
  }
  // A page that asks for an old bundle gets a 404, never the page as a script.
  CHECK(c.get("/assets/app-OLDHASH1.js").status == 404);
  CHECK(c.request_unchecked("GET", "/contacts/robots.txt").status == 404);
  const auto api = c.get("/api/v1/no-such-thing");
  CHECK(api.status == 404);
  CHECK(api.header("content-type") == "application/problem+json");
  CHECK(c.request("POST", "/contacts", "{}").status == 404);
}

TEST_CASE("No request reaches a file outside the web app's folder: dot segments, encoded dots and slashes, NUL bytes") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt", "/assets/%2E%2E%2F%2E%2E%2Fsecret.txt", "/..%5c..%5csecret.txt",
        "/assets/app-4F2KX7QA.js%00.html", "/index.html%00", "/./index.html/..", "/assets/..",
        "//secret.txt", "/assets//../../secret.txt"}) {
    INFO(target);
    const auto r = c.request_unchecked("GET", target);
    CHECK(r.body.find("secret") == std::string::npos);
    CHECK((r.status == 404 || r.status == 400));
  }
}

TEST_CASE("A daemon without the web app answers / with a page that says so and serves the API") {
  TempDir empty;
  Daemon d({{"RELANCE_WEB_ROOT", empty.path().string()}});
  d.start();
  auto c = d.client();
  const auto r = c.request("GET", "/", {}, {{"Accept-Language", "en"}});
  CHECK(r.status == 503);
  CHECK(r.header("content-type") == "text/html; charset=utf-8");
  CHECK_THAT(r.body, Catch::Contains("The web app was not built"));
  CHECK_THAT(r.body, Catch::Contains("Node.js"));
  const auto fr = c.request("GET", "/", {}, {{"Accept-Language", "fr-FR,fr;q=0.9"}});
  CHECK_THAT(fr.body, Catch::Contains("L'application web n'a pas été construite"));
  CHECK(c.get("/healthz").status == 200);
  auto admin = d.admin();
  CHECK(admin.get("/api/v1/me").status == 200);
}

TEST_CASE("A login that asks for a cookie gets an HttpOnly SameSite=Lax session cookie and no token in its body") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  const auto r = cookie_login(c);
  REQUIRE(r.status == 200);
  const std::string set = r.header("set-cookie");
  CHECK_THAT(set, Catch::StartsWith("relance_session=rl_"));
  CHECK_THAT(set, Catch::Contains("; HttpOnly"));
  CHECK_THAT(set, Catch::Contains("; SameSite=Lax"));
  CHECK_THAT(set, Catch::Contains("; Path=/"));
  CHECK_THAT(set, !Catch::Contains("Secure"));  // plain http on loopback
  CHECK_FALSE(r.json().as_object().contains("token"));
  CHECK(r.json().at("user").at("email") == admin_email);
  // Without the cookie option the answer is the token, as before, and no cookie.
  const auto bearer = c.post("/api/v1/auth/login", json::object{{"email", admin_email}, {"password", admin_password}});
  CHECK(bearer.json().as_object().contains("token"));
  CHECK(bearer.header("set-cookie").empty());
  CHECK(c.post("/api/v1/auth/login", json::object{{"email", admin_email}, {"password", admin_password}, {"cookie", "yes"}})
            .status == 422);
  // Behind a TLS-terminating proxy, the cookie is Secure.
  CHECK_THAT(cookie_login(c, {{"X-Forwarded-Proto", "https"}}).header("set-cookie"), Catch::EndsWith("; Secure"));
}

TEST_CASE("The session cookie is Secure when the daemon's public URL is https") {
  AppFolder app;
  Daemon d(serving(app, {{"RELANCE_SERVER_PUBLIC_URL", "https://crm.example.org"}}));
  d.start();
  auto c = d.client();
  CHECK_THAT(cookie_login(c).header("set-cookie"), Catch::EndsWith("; Secure"));
}

TEST_CASE("The session cookie reads and writes from the app's own origin, a write another origin made is refused with 403 and writes nothing") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  const std::string cookie = "relance_session=" + cookie_value(cookie_login(c).header("set-cookie"));
  const std::string own = "http://127.0.0.1:" + std::to_string(d.port());
  const std::string body = json::serialize(json::object{{"first_name", "Zoé"}, {"last_name", "Lefèvre"}});

  const auto me = c.request("GET", "/api/v1/me", {}, {{"Cookie", "theme=dark; " + cookie}});
  CHECK(me.status == 200);
  CHECK(me.json().at("email") == admin_email);

  const std::size_t before = contact_count(d);
  const std::vector<Headers> elsewhere{
      {{"Cookie", cookie}, {"Origin", "https://evil.example"}},
      {{"Cookie", cookie}, {"Origin", "null"}},
      {{"Cookie", cookie}, {"Sec-Fetch-Site", "cross-site"}, {"Origin", own}},
      {{"Cookie", cookie}, {"Sec-Fetch-Site", "same-site"}},
      {{"Cookie", cookie}},  // a write that proves no origin at all
  };
  for (const auto& headers : elsewhere) {
    const auto r = c.request("POST", "/api/v1/contacts", body, headers);
    INFO(r.body);
    CHECK(r.status == 403);
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK_THAT(r.body, Catch::Contains("Authorization: Bearer"));
  }
  CHECK(contact_count(d) == before);

  // As a browser sends them from the app's page: Host with the port, Origin, Sec-Fetch-Site.
  const std::string host = "127.0.0.1:" + std::to_string(d.port());
  CHECK(c.request("POST", "/api/v1/contacts", body, {{"Cookie", cookie}, {"Host", host}, {"Origin", own}}).status == 201);
  CHECK(c.request("POST", "/api/v1/contacts", body,
                  {{"Cookie", cookie}, {"Host", host}, {"Sec-Fetch-Site", "same-origin"}, {"Origin", own}})
            .status == 201);
  CHECK(contact_count(d) == before + 2);
}

TEST_CASE("A bearer token is unaffected by the origin check") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto admin = d.admin();
  const auto r = admin.post("/api/v1/contacts", json::object{{"first_name", "Zoé"}},
                            {{"Origin", "https://elsewhere.example"}, {"Sec-Fetch-Site", "cross-site"}});
  CHECK(r.status == 201);
}

TEST_CASE("A cookie login another site's page made is refused") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  const auto r = cookie_login(c, {{"Origin", "https://evil.example"}});
  CHECK(r.status == 403);
  CHECK(r.header("set-cookie").empty());
}

TEST_CASE("Logging out with the cookie ends the session on the server and clears the cookie") {
  AppFolder app;
  Daemon d(serving(app));
  d.start();
  auto c = d.client();
  const std::string cookie = "relance_session=" + cookie_value(cookie_login(c).header("set-cookie"));
  const std::string own = "http://127.0.0.1:" + std::to_string(d.port());
  const auto out = c.request("POST", "/api/v1/auth/logout", {},
                             {{"Cookie", cookie}, {"Host", "127.0.0.1:" + std::to_string(d.port())}, {"Origin", own}});
  CHECK(out.status == 204);
  CHECK_THAT(out.header("set-cookie"), Catch::StartsWith("relance_session=;"));
  CHECK_THAT(out.header("set-cookie"), Catch::Contains("Max-Age=0"));
  CHECK(c.request("GET", "/api/v1/me", {}, {{"Cookie", cookie}}).status == 401);
}
