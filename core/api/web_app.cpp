#include "api/web_app.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "api/html_page.hpp"
#include "api/openapi.hpp"
#include "api/problem_response.hpp"
#include "domain/text.hpp"

namespace relance::api {
namespace fs = std::filesystem;
using Shape = RouteDoc::Shape;

namespace {

// A misconfigured root (web.root = "/") must not read a whole disk into memory.
constexpr std::size_t most_files = 4000;
constexpr std::uintmax_t most_bytes = 64u << 20;

// The app's Content-Security-Policy: its own scripts, styles and API only; no inline code,
// no plugin, no <base> rewriting, never framed (clickjacking), forms to itself only.
constexpr const char* app_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

std::string content_type_of(const fs::path& file) {
  const std::string ext = domain::fold_ascii_case(file.extension().string());
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Whether Accept-Encoding takes gzip ("gzip", "gzip;q=0.8", not "gzip;q=0").
bool accepts_gzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    const auto end = accept_encoding.find(',');
    std::string item = domain::fold_ascii_case(accept_encoding.substr(0, end));
    accept_encoding = end == std::string_view::npos ? std::string_view() : accept_encoding.substr(end + 1);
    std::erase(item, ' ');
    if (item == "gzip" || item == "*") return true;
    if (item.starts_with("gzip;q=")) return std::strtod(item.c_str() + 7, nullptr) > 0;
  }
  return false;
}

void add_app_headers(Response& r) {
  r.headers.emplace_back("Content-Security-Policy", app_policy);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
}

Response not_built(const Request& request) {
  const bool french = browser_locale(request) == domain::Locale::fr;
  Response r = html_page(
      503, french ? "L'application web n'a pas été construite" : "The web app was not built",
      french ? "<p>Ce démon a été construit sans Node.js : l'API (<code>/api/v1</code>) et la commande "
               "<code>relance</code> fonctionnent, pas l'application web. Installez Node.js et npm "
               "(<code>scripts/install-deps.sh</code>) puis reconstruisez, ou indiquez ses fichiers par "
               "<code>web.root</code> (docs/operations.md).</p>"
             : "<p>This daemon was built without Node.js: the API (<code>/api/v1</code>) and the "
               "<code>relance</code> command work, the web app does not. Install Node.js and npm "
               "(<code>scripts/install-deps.sh</code>) and build again, or point <code>web.root</code> at its "
               "files (docs/operations.md).</p>",
      french ? "fr" : "en");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

// A segment no file of the app has: ".", "..", or one with a NUL or a backslash (the path
// is decoded: %2e%2e, %2f and %00 are these already).
bool unsafe_segment(std::string_view s) {
  return s == "." || s == ".." || s.find('\0') != std::string_view::npos || s.find('\\') != std::string_view::npos;
}

}  // namespace

std::shared_ptr<const WebApp> WebApp::load(const fs::path& root) {
  auto app = std::make_shared<WebApp>();
  app->root_ = root;
  std::error_code ec;
  if (!fs::is_regular_file(root / "index.html", ec)) return app;
  std::uintmax_t bytes = 0;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const fs::path& path = it->path();
    if (path.extension() == ".gz") continue;  // read with the file it compresses
    bytes += it->file_size(ec);
    if (app->files_.size() >= most_files || bytes > most_bytes) {
      spdlog::warn("web.root {} holds more than {} files or {} MiB: is it the web app's folder? the rest is not served",
                   root.string(), most_files, most_bytes >> 20);
      break;
    }
    File f{content_type_of(path), read_file(path), {}};
    fs::path twin = path;
    twin += ".gz";
    if (fs::is_regular_file(twin, ec)) f.gzipped = read_file(twin);
    app->files_.emplace(path.lexically_relative(root).generic_string(), std::move(f));
  }
  return app;
}

Response WebApp::send(const std::string& key, const File& file, const Request& request) const {
  Response r;
  r.content_type = file.content_type;
  const bool zipped = !file.gzipped.empty() && accepts_gzip(request.accept_encoding);
  r.body = zipped ? file.gzipped : file.body;
  if (zipped) r.headers.emplace_back("Content-Encoding", "gzip");
  if (!file.gzipped.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  // A hashed name never changes its content; any other file is checked again each time.
  r.headers.emplace_back("Cache-Control",
                         key.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  add_app_headers(r);
  return r;
}

Response WebApp::index(const Request& request) const {
  const auto it = files_.find("index.html");
  if (it == files_.end()) return not_built(request);
  return send(it->first, it->second, request);
}

Response WebApp::asset(std::string_view name, const Request& request) const {
  const auto it = files_.find("assets/" + std::string(name));
  if (unsafe_segment(name) || it == files_.end()) throw Problem::not_found();
  return send(it->first, it->second, request);
}

Response WebApp::other(const Request& request) const {
  std::vector<std::string_view> segments;
  std::string_view rest = request.path;
  while (!rest.empty()) {
    const auto end = rest.find('/');
    const std::string_view s = rest.substr(0, end);
    if (!s.empty()) segments.push_back(s);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  std::string key;
  for (const auto s : segments) {
    if (unsafe_segment(s)) throw Problem::not_found();
    key += (key.empty() ? "" : "/") + std::string(s);
  }
  // A file name (it has a dot) is a file of the app or nothing: a stale page asking for an
  // old script must get a 404, not the page as JavaScript.
  if (!segments.empty() && segments.back().find('.') != std::string_view::npos) {
    const auto it = files_.find(key);
    if (it == files_.end()) throw Problem::not_found();
    return send(it->first, it->second, request);
  }
  return index(request);
}

void add_web_app_routes(Router& router, std::shared_ptr<const WebApp> app) {
  const auto html = doc_content({"text/html"}, doc_text());
  RouteDoc page{"The web app's page (its own paths, /contacts/12..., answer it too)", "web app", Shape::text};
  page.responses["200"] = doc_response("The app's index.html (Cache-Control: no-cache)", html);
  page.responses["503"] = doc_response("The daemon was built without the web app: a page that says so", html);
  router.add("GET", "/", false, std::move(page),
             [app](Call& c, Reply reply) { reply(app->index(c.request)); });
  RouteDoc asset{"A file of the web app, its name hashed (cached for a year)", "web app", Shape::text};
  asset.responses["200"] = doc_response(
      "The file, gzipped when the client accepts it (Content-Encoding: gzip)",
      doc_content({"text/javascript", "text/css", "image/svg+xml", "image/png", "font/woff2", "application/json",
                   "application/octet-stream"},
                  doc_binary()));
  asset.responses["404"] = doc_problem("No such file");
  router.add("GET", "/assets/{name}", false, std::move(asset),
             [app](Call& c, Reply reply) { reply(app->asset(c.names.at(0), c.request)); });
  router.set_fallback([app](Call& c, Reply reply) { reply(app->other(c.request)); });
}

}  // namespace relance::api
