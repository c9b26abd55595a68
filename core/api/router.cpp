#include "api/router.hpp"

#include <array>
#include <charconv>
#include <chrono>

#include "api/browser_origin.hpp"
#include "api/problem_response.hpp"
#include "api/web_session.hpp"

namespace relance::api {
namespace {

// A path cut at its slashes, without allocating: routes have few segments.
struct Segments {
  static constexpr std::size_t most = 8;
  std::array<std::string_view, most> at{};
  std::size_t size = 0;
  bool too_deep = false;
  std::string_view operator[](std::size_t i) const { return at[i]; }
};

Segments cut_path(std::string_view path) {
  Segments out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (out.size == Segments::most) {
      out.too_deep = true;
      break;
    }
    out.at[out.size++] = path.substr(i, j - i);
    i = j;
  }
  return out;
}

std::vector<std::string> split_path(std::string_view pattern) {
  const Segments segs = cut_path(pattern);
  return {segs.at.begin(), segs.at.begin() + static_cast<std::ptrdiff_t>(segs.size)};
}

bool is_parameter(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }
// "{id}", "{event_id}": a positive integer; any other "{name}": a word.
bool is_id_parameter(std::string_view segment) { return is_parameter(segment) && segment.ends_with("id}"); }

bool match(const Route& r, const Segments& segs, std::vector<std::int64_t>& ids, std::vector<std::string>& names) {
  if (segs.too_deep || r.segments.size() != segs.size) return false;
  ids.clear();
  names.clear();
  for (std::size_t i = 0; i < segs.size; ++i) {
    if (is_parameter(r.segments[i]) && !is_id_parameter(r.segments[i])) {
      if (segs[i].empty() || segs[i].size() > 64) return false;
      names.emplace_back(segs[i]);
    } else if (is_id_parameter(r.segments[i])) {
      std::int64_t v = 0;
      const auto& s = segs[i];
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return false;
      ids.push_back(v);
    } else if (r.segments[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

std::string_view bearer_of(std::string_view authorization) {
  constexpr std::string_view prefix = "Bearer ";
  if (authorization.size() <= prefix.size()) return {};
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return {};
  return authorization.substr(prefix.size());
}

// A NUL byte (%00) is no character of any parameter: no search text, filter, cursor or
// option holds one, and SQLite's full-text query syntax has no place for it (a search with
// one failed there, answering 500). Refused for every route, naming the parameter.
void refuse_nul_bytes(const QueryParams& query) {
  for (const auto& [key, value] : query)
    if (key.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
      throw Problem::bad_request("the query parameter " + key + " holds a NUL byte (%00)", key);
}

// A precondition the route does not honour is refused rather than ignored: a client that
// sends If-Match or Idempotency-Key relies on it, and would take a silent write for a safe
// one (the OpenAPI document lists the routes that honour each).
void refuse_unhonoured_headers(const Route& r, const Request& request) {
  if (r.method == "GET") return;
  if (!request.idempotency_key.empty() && !r.doc.idempotent_create)
    throw Problem::bad_request("Idempotency-Key is not honoured by " + r.label + "; only creates take one",
                               "Idempotency-Key");
  if (!request.if_match.empty() && !r.doc.conditional)
    throw Problem::bad_request("If-Match is not honoured by " + r.label, "If-Match");
}

// A write authenticated by the web app's session cookie must come from the app's own pages:
// a browser sends the cookie with a form another site posts (SameSite=Lax stops it for a
// POST from another site, not from a sibling subdomain, and not in every browser), so the
// request must prove its origin. A bearer token is never sent by a browser on its own.
void refuse_writes_from_elsewhere(const Request& request, const std::string& public_url) {
  if (request.method == "GET" || from_own_origin(request, public_url)) return;
  throw Problem::forbidden(
      "a change made with the web app's session cookie must come from the app's own pages (the browser's "
      "Origin or Sec-Fetch-Site names this daemon); programs send Authorization: Bearer <token> instead");
}

}  // namespace

void Router::add(std::string method, std::string pattern, bool signed_in, RouteDoc doc, Handler h) {
  Route r{std::move(method), std::move(pattern), {}, signed_in, std::move(h), std::move(doc), {}};
  r.label = r.method + " " + r.pattern;
  r.segments = split_path(r.pattern);
  routes_.push_back(std::move(r));
}

void Router::dispatch(const Request& request, Reply reply) const {
  const auto start = std::chrono::steady_clock::now();
  const Segments segs = cut_path(request.path);
  std::vector<std::int64_t> ids;
  std::vector<std::string> names;
  const Route* found = nullptr;
  std::string allowed;
  for (const Route& r : routes_) {
    if (!match(r, segs, ids, names)) continue;
    if (r.method == request.method) {
      found = &r;
      break;
    }
    allowed += (allowed.empty() ? "" : ", ") + r.method;
  }
  static const std::string unmatched = "unmatched";
  static const std::string web_app = "GET (web app)";
  const bool to_app = !found && allowed.empty() && fallback_ && request.method == "GET" &&
                      !request.path.starts_with("/api/") && request.path != "/api";
  const std::string* label = found ? &found->label : to_app ? &web_app : &unmatched;
  Reply observed = [this, reply = std::move(reply), start, label](Response resp) {
    observe_(*label, resp.status,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    reply(std::move(resp));
  };
  if (to_app) {
    Call call{request, {}, {}, {}};
    try {
      return fallback_(call, observed);
    } catch (...) {
      return observed(error_response(std::current_exception()));
    }
  }
  if (!found) {
    if (!allowed.empty()) {
      Response r = problem_response(Problem(Problem::Kind::method_not_allowed, "Method not allowed",
                                            request.method + " is not allowed here; use " + allowed));
      r.headers.emplace_back("Allow", allowed);
      return observed(std::move(r));
    }
    return observed(problem_response(Problem::not_found()));
  }
  Call call{request, {}, std::move(ids), std::move(names)};
  try {
    if (found->signed_in) {
      std::string_view token = bearer_of(request.authorization);
      if (token.empty()) {
        token = session_token_of(request);
        if (token.empty())
          throw Problem::unauthorized("send Authorization: Bearer <token> (POST /api/v1/auth/login)");
        refuse_writes_from_elsewhere(request, public_url_);  // before the token is even looked up
      }
      call.principal = authenticate_(token);
    }
    refuse_nul_bytes(request.query);
    refuse_unhonoured_headers(*found, request);
    found->handler(call, observed);
  } catch (...) {
    Response r = error_response(std::current_exception());
    if (r.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
    observed(std::move(r));
  }
}

}  // namespace relance::api
