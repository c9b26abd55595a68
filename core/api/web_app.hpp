// The web app (web/app/, bundled by cmake/Web.cmake, installed beside the daemon): its files
// read once at start and served from memory at /, so that no request path ever reaches the
// file system (a path is a key of the table, or nothing). Hashed assets (/assets/NAME-HASH.js)
// are cached for a year, index.html never without asking again; a file's gzip twin (NAME.gz,
// made by the build) is sent to browsers that accept it. Every answer carries the app's
// Content-Security-Policy (no inline script or style, nothing from elsewhere, never framed).
// A daemon built without Node.js has no app: / answers a page that says so, the API works.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/http.hpp"
#include "api/router.hpp"

namespace relance::api {

class WebApp {
 public:
  // Reads the files under `root` (index.html, assets/...); none when it holds no index.html.
  static std::shared_ptr<const WebApp> load(const std::filesystem::path& root);

  bool built() const { return files_.contains("index.html"); }
  std::size_t file_count() const { return files_.size(); }
  const std::filesystem::path& root() const { return root_; }

  // GET /: the app's page (or the page saying it was not built).
  Response index(const Request& request) const;
  // GET /assets/NAME.
  Response asset(std::string_view name, const Request& request) const;
  // GET of any other path outside the API: a file at the app's root (/favicon.svg), a 404
  // for any other file name or a path with . or .. segments, and otherwise the app's page,
  // whose router shows the screen of that path (/contacts/12).
  Response other(const Request& request) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzipped;  // empty: no gzip twin
  };
  Response send(const std::string& key, const File& file, const Request& request) const;

  std::filesystem::path root_;
  std::unordered_map<std::string, File> files_;  // by path relative to the root: "assets/app-X.js"
};

// GET / and GET /assets/{name}, documented, and the router's fallback for the app's paths.
void add_web_app_routes(Router& router, std::shared_ptr<const WebApp> app);

}  // namespace relance::api
