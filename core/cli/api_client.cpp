#include "cli/api_client.hpp"

#include <curl/curl.h>

#include <boost/json/parse.hpp>
#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "cli/user_profile.hpp"

namespace relance::cli {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// The problem document's detail (and the field it names), or the body as it is.
std::string problem_detail(const ApiResponse& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (!ec && v.is_object())
    if (auto* d = v.as_object().if_contains("detail"); d && d->is_string()) {
      std::string why(d->as_string());
      if (auto* f = v.as_object().if_contains("field"); f && f->is_string() && !f->as_string().empty())
        why = say("cli.api.field", {why, f->as_string()});
      return why;
    }
  return r.body.empty() ? "HTTP " + std::to_string(r.status) : r.body.substr(0, 500);
}

}  // namespace

std::filesystem::path credentials_file() {
  std::string base = env("XDG_CONFIG_HOME");
  if (base.empty()) base = env("HOME").empty() ? "." : env("HOME") + "/.config";
  return std::filesystem::path(base) / "relance" / "credentials.toml";
}

Endpoint configured_endpoint() {
  Endpoint e{env("RELANCE_URL"), env("RELANCE_TOKEN")};
  if (e.url.empty() || e.token.empty()) {
    const auto file = credentials_file();
    if (std::filesystem::exists(file)) {
      try {
        auto t = toml::parse_file(file.string());
        if (e.url.empty()) e.url = t["url"].value_or(std::string());
        if (e.token.empty()) e.token = t["token"].value_or(std::string());
      } catch (const toml::parse_error& err) {
        throw CliError(usage, file.string() + ": " + std::string(err.description()));
      }
    }
  }
  if (e.url.empty()) e.url = "http://127.0.0.1:8080";
  while (!e.url.empty() && e.url.back() == '/') e.url.pop_back();
  return e;
}

Endpoint resolve_endpoint() {
  Endpoint e = configured_endpoint();
  if (e.token.empty()) throw CliError(unauthorised, say("cli.not_logged_in"));
  return e;
}

boost::json::value ApiResponse::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) throw CliError(failed, say("cli.api.not_json", {body.substr(0, 200)}));
  return v;
}

ApiClient::ApiClient(Endpoint endpoint) : endpoint_(std::move(endpoint)) {
  static std::once_flag global;
  std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (!curl_) throw CliError(failed, say("cli.api.no_http_client"));
}

ApiClient::~ApiClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

ApiResponse ApiClient::request(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& content_type) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  ApiResponse r;
  const std::string url = endpoint_.url + path;
  curl_slist* headers = nullptr;
  const std::string auth = "Authorization: Bearer " + endpoint_.token;
  if (!endpoint_.token.empty()) headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  const std::string type_header = "Content-Type: " + content_type;
  if (!body.empty()) headers = curl_slist_append(headers, type_header.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (!body.empty() || method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) throw CliError(unreachable, say("cli.api.unreachable", {endpoint_.url, curl_easy_strerror(rc)}));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

namespace {

struct Download {
  CURL* curl = nullptr;
  const std::function<void(std::string_view)>* sink = nullptr;
  std::string error_body;  // the body of a non-2xx answer
  std::exception_ptr failure;
};

std::size_t deliver(char* data, std::size_t size, std::size_t n, void* context) {
  auto* d = static_cast<Download*>(context);
  long status = 0;
  curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    d->error_body.append(data, size * n);
    return size * n;
  }
  try {
    (*d->sink)(std::string_view(data, size * n));
  } catch (...) {
    d->failure = std::current_exception();
    return 0;  // stops the transfer
  }
  return size * n;
}

}  // namespace

void ApiClient::download(const std::string& path, const std::function<void(std::string_view)>& sink) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  const std::string url = endpoint_.url + path;
  const std::string auth = "Authorization: Bearer " + endpoint_.token;
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  Download d{c, &sink, {}, nullptr};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &deliver);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (d.failure) std::rethrow_exception(d.failure);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || (rc != CURLE_OK && status == 0))
    throw CliError(unreachable, say("cli.api.unreachable", {endpoint_.url, curl_easy_strerror(rc)}));
  if (status < 200 || status >= 300) {
    check_status(ApiResponse{status, d.error_body});  // the same sentences as call()
  }
  if (rc != CURLE_OK) throw CliError(failed, say("cli.api.download_broke_off", {curl_easy_strerror(rc)}));
}

ApiResponse ApiClient::call(const std::string& method, const std::string& path, const std::string& body) {
  ApiResponse r = request(method, path, body);
  check_status(r);
  return r;
}

void check_status(const ApiResponse& r) {
  if (r.status >= 200 && r.status < 300) return;
  const std::string why = problem_detail(r);
  // The sentences around the daemon's detail are in the user's language (the detail is the
  // daemon's own).
  if (r.status == 401) throw CliError(unauthorised, say("cli.token_refused", {why}));
  // Logged in, but this account may not do that: logging in again would not help.
  if (r.status == 403) throw CliError(failed, say("cli.not_allowed", {why}));
  if (r.status == 404) throw CliError(not_found, say("cli.not_found", {why}));
  if (r.status == 400 || r.status == 422) throw CliError(usage, why);
  throw CliError(failed, say("cli.daemon_answered", {std::to_string(r.status), why}));
}

}  // namespace relance::cli
