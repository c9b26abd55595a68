#include "plugin_host/http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <mutex>
#include <optional>

namespace relance::plugin_host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t max_header_bytes = 64 * 1024;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool token(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool header_value(std::string_view s) {
  return s.find_first_of("\r\n", 0) == std::string_view::npos && s.find('\0') == std::string_view::npos;
}

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// What a URL names: where to connect and how libcurl writes the host in its DNS cache.
struct Target {
  std::string scheme, host;  // host without brackets
  std::uint16_t port = 0;
};

HttpResponse refusal(std::string why) {
  HttpResponse r;
  r.outcome = HttpResponse::Outcome::refused;
  r.error = std::move(why);
  return r;
}

HttpResponse no_answer(std::string why) {
  HttpResponse r;
  r.outcome = HttpResponse::Outcome::no_answer;
  r.error = std::move(why);
  return r;
}

std::optional<Target> parse_target(const std::string& url, std::string& why) {
  CURLU* u = curl_url();
  Target t;
  auto part = [&](CURLUPart p, unsigned flags) -> std::optional<std::string> {
    char* out = nullptr;
    if (curl_url_get(u, p, &out, flags) != CURLUE_OK || !out) return std::nullopt;
    std::string s(out);
    curl_free(out);
    return s;
  };
  std::optional<Target> result;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    why = "the URL is not an absolute http:// or https:// URL";
  } else {
    auto scheme = part(CURLUPART_SCHEME, 0);
    auto host = part(CURLUPART_HOST, 0);
    auto port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
    if (!scheme || (*scheme != "http" && *scheme != "https")) {
      why = "only http:// and https:// URLs are sent";
    } else if (!host || host->empty() || part(CURLUPART_ZONEID, 0)) {
      why = "the URL names no host";
    } else if (!port) {
      why = "the URL's port is not a number";
    } else {
      t.scheme = *scheme;
      t.host = host->front() == '[' ? host->substr(1, host->size() - 2) : *host;
      t.port = static_cast<std::uint16_t>(std::stoul(*port));
      result = t;
    }
  }
  curl_url_cleanup(u);
  return result;
}

std::string numeric(const sockaddr* sa) {
  char text[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, text, sizeof text);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, text, sizeof text);
  return text;
}

bool numeric_host(const std::string& host) {
  unsigned char bytes[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), bytes) == 1 || inet_pton(AF_INET6, host.c_str(), bytes) == 1;
}

}  // namespace

struct HttpClient::Impl {
  AddressCheck allowed;
  CURL* curl = nullptr;
  // This hop's allowed addresses: the only ones a socket may be opened to.
  std::vector<std::string> pinned;
  std::string pinned_host;
  std::uint16_t pinned_port = 0;
  // The last URL and what it names: a connector sends to the same one again and again.
  std::string last_url;
  std::optional<Target> last_target;
  // The answer being received.
  HttpResponse* out = nullptr;
  std::size_t max_body = 0;
  std::size_t header_bytes = 0;
  char error[CURL_ERROR_SIZE] = {};

  static std::size_t on_body(char* data, std::size_t, std::size_t n, void* self) {
    Impl& i = *static_cast<Impl*>(self);
    const std::size_t room = i.max_body - std::min(i.max_body, i.out->body.size());
    if (n > room) {
      i.out->body.append(data, room);
      i.out->truncated = true;
      return 0;  // stops the transfer: the rest is not wanted
    }
    i.out->body.append(data, n);
    return n;
  }

  static std::size_t on_header(char* data, std::size_t, std::size_t n, void* self) {
    Impl& i = *static_cast<Impl*>(self);
    i.header_bytes += n;
    if (i.header_bytes > max_header_bytes) return 0;
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {  // a new answer (a 100 Continue, then the real one)
      i.out->headers.clear();
      return n;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    i.out->headers.push_back(HttpHeader{std::string(line.substr(0, colon)), std::string(value)});
    return n;
  }

  // Every socket libcurl opens: to a pinned address only (belt and braces over CURLOPT_RESOLVE).
  static curl_socket_t on_open(void* self, curlsocktype, curl_sockaddr* a) {
    Impl& i = *static_cast<Impl*>(self);
    const auto* sa = reinterpret_cast<const sockaddr*>(&a->addr);
    const std::string address = numeric(sa);
    const std::uint16_t port = ntohs(sa->sa_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port
                                                                : reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
    if (address.empty() || port != i.pinned_port ||
        std::find(i.pinned.begin(), i.pinned.end(), address) == i.pinned.end())
      return CURL_SOCKET_BAD;
    return socket(a->family, a->socktype, a->protocol);
  }

  // Resolves `t.host` and keeps the addresses the policy allows; "" when some are, else why not.
  std::string pin(const Target& t, bool& refused) {
    refused = false;
    // A numeric address allowed before is allowed still (the policy does not change while
    // the daemon runs) and resolves to nothing else: no need to ask again for each request.
    if (!pinned.empty() && t.host == pinned_host && t.port == pinned_port && numeric_host(t.host)) return "";
    pinned.clear();
    pinned_host = t.host;
    pinned_port = t.port;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    // A numeric host is its own address: AI_NUMERICHOST spares the resolver's files.
    if (numeric_host(t.host)) hints.ai_flags = AI_NUMERICHOST;
    addrinfo* found = nullptr;
    if (getaddrinfo(t.host.c_str(), nullptr, &hints, &found) != 0 || !found)
      return "the host " + t.host + " did not resolve";
    std::vector<std::string> all;
    for (addrinfo* a = found; a; a = a->ai_next) {
      const std::string n = numeric(a->ai_addr);
      if (!n.empty() && std::find(all.begin(), all.end(), n) == all.end()) all.push_back(n);
    }
    freeaddrinfo(found);
    for (const std::string& a : all)
      if (allowed(a, t.port)) pinned.push_back(a);
    if (pinned.empty()) {
      refused = true;
      return "every address of " + t.host + " is refused by the daemon's outbound policy";
    }
    return "";
  }

  // One exchange with `t`, libcurl pinned to `pinned`.
  void perform(const HttpRequest& r, const std::string& url, const std::string& method, const std::string& body,
               bool drop_credentials, const Target& t, Clock::time_point deadline, HttpResponse& response) {
    curl_easy_reset(curl);  // keeps the open connections
    out = &response;
    max_body = r.max_response_bytes;
    header_bytes = 0;
    error[0] = 0;

    // The name pinned to the allowed addresses, the previous entry for it dropped first. A
    // numeric host is never resolved by libcurl: it is its own (checked) address.
    curl_slist* resolve = nullptr;
    if (!numeric_host(t.host)) {
      std::string addresses;
      for (const std::string& a : pinned)
        addresses += (addresses.empty() ? "" : ",") + (a.find(':') != std::string::npos ? "[" + a + "]" : a);
      const std::string host_port = t.host + ":" + std::to_string(t.port);
      resolve = curl_slist_append(nullptr, ("-" + host_port).c_str());
      resolve = curl_slist_append(resolve, (host_port + ":" + addresses).c_str());
    }

    curl_slist* headers = curl_slist_append(nullptr, "Expect:");
    for (const HttpHeader& h : r.headers) {
      if (drop_credentials && (same_text(h.name, "Authorization") || same_text(h.name, "Cookie"))) continue;
      headers = curl_slist_append(headers, (h.name + ": " + h.value).c_str());
    }

    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    if (resolve) curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &on_open);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(1, left.count())));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    if (method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      if (method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    } else if (method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    }

    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && response.truncated && status > 0)) {
      response.outcome = HttpResponse::Outcome::answered;
    } else {
      response.outcome = HttpResponse::Outcome::no_answer;
      response.status = 0;
      response.error = rc == CURLE_OPERATION_TIMEDOUT
                           ? "no answer within " + std::to_string(r.timeout.count()) + " ms"
                           : std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
    }
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    out = nullptr;
  }
};

HttpClient::HttpClient(AddressCheck allowed) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->allowed = std::move(allowed);
  impl_->curl = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (impl_->curl) curl_easy_cleanup(impl_->curl);
}

HttpResponse HttpClient::send(const HttpRequest& r) {
  if (!impl_->curl) return no_answer("libcurl could not start");
  if (!token(r.method)) return refusal("the method is not an HTTP token");
  for (const HttpHeader& h : r.headers)
    if (!token(h.name) || !header_value(h.value)) return refusal("the header \"" + h.name + "\" is not a valid header line");

  const Clock::time_point deadline = Clock::now() + r.timeout;
  std::string url = r.url, method = r.method, body = r.body;
  std::string first_host;
  for (unsigned hop = 0;; ++hop) {
    std::string why;
    if (url != impl_->last_url || !impl_->last_target) {
      impl_->last_target = parse_target(url, why);
      impl_->last_url = url;
      if (!impl_->last_target) impl_->last_url.clear();
    }
    const std::optional<Target> target = impl_->last_target;
    if (!target) return refusal(hop ? "a redirect: " + why : why);
    if (hop == 0) first_host = target->host;
    bool refused = false;
    why = impl_->pin(*target, refused);
    if (!why.empty()) return refused ? refusal(hop ? "a redirect: " + why : why) : no_answer(why);

    HttpResponse response;
    response.redirects = hop;
    impl_->perform(r, url, method, body, target->host != first_host, *target, deadline, response);
    const int s = response.status;
    const bool redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    if (response.outcome != HttpResponse::Outcome::answered || !r.follow_redirects || !redirect) return response;

    char* location = nullptr;
    curl_easy_getinfo(impl_->curl, CURLINFO_REDIRECT_URL, &location);
    if (!location) return response;  // a redirect without a Location: the answer as it is
    if (hop + 1 > r.max_redirects)
      return refusal("more than " + std::to_string(r.max_redirects) + " redirects");
    url = location;
    // 303, and 301/302 after a POST, continue as a GET without a body, as browsers do.
    if (s == 303 || ((s == 301 || s == 302) && method == "POST")) {
      if (method != "HEAD") method = "GET";
      body.clear();
    }
  }
}

}  // namespace relance::plugin_host
