// ApiClient: the command line's way to the daemon, over HTTP(S) with libcurl. The CLI is a
// client of the API like any other (DESIGN.md), never of the database.
//
// Where and as whom: RELANCE_URL and RELANCE_TOKEN when set, else the file written by
// `relance login` ($XDG_CONFIG_HOME/relance/credentials.toml, mode 0600).
//
// Thread safety: one ApiClient per thread.
#pragma once

#include <boost/json/value.hpp>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <string>

namespace relance::cli {

// Exit codes every command uses, so scripts can tell failures apart.
enum Exit : int {
  ok = 0,
  failed = 1,        // the daemon refused the request (403: not allowed to; 409; other 4xx, 5xx)
  usage = 2,         // bad arguments or input (400, 422)
  unreachable = 3,   // no daemon answered at the URL
  unauthorised = 4,  // not logged in: no token, or a token the daemon refuses (401)
  not_found = 5,
};

// A failure with its exit code and a sentence for the user.
class CliError : public std::runtime_error {
 public:
  CliError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

struct ApiResponse;
// Turns a non-2xx answer into the CliError a user can act on (exit code and sentence).
void check_status(const ApiResponse& r);

struct Endpoint {
  std::string url;    // "http://127.0.0.1:8080", no trailing slash
  std::string token;  // "rl_..."
};

// $XDG_CONFIG_HOME/relance/credentials.toml (~/.config/relance/ without XDG_CONFIG_HOME).
std::filesystem::path credentials_file();
// The server and token as configured (environment first, then the credentials file); the
// token may be empty, the url is the default http://127.0.0.1:8080 when none is set.
Endpoint configured_endpoint();
// The server and token to use; throws CliError(unauthorised) when there is no token.
Endpoint resolve_endpoint();

struct ApiResponse {
  long status = 0;
  std::string body;
  boost::json::value json() const;  // throws CliError when the body is not JSON
};

class ApiClient {
 public:
  explicit ApiClient(Endpoint endpoint);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // Sends a request; throws CliError(unreachable) when no daemon answers.
  // `content_type` is that of a non-empty body.
  ApiResponse request(const std::string& method, const std::string& path, const std::string& body = {},
                      const std::string& content_type = "application/json");
  // As request(), and turns a non-2xx answer into the CliError a user can act on.
  ApiResponse call(const std::string& method, const std::string& path, const std::string& body = {});
  // GETs `path` and hands each piece of a 2xx body to `sink` as it arrives (a non-2xx body
  // becomes the CliError). Throws CliError(failed) when the transfer breaks off: a
  // streamed body that ends early is a failed one.
  void download(const std::string& path, const std::function<void(std::string_view)>& sink);

 private:
  Endpoint endpoint_;
  void* curl_;
};

}  // namespace relance::cli
