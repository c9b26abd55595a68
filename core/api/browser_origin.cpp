#include "api/browser_origin.hpp"

#include <string>

#include "domain/text.hpp"

namespace relance::api {
namespace {

// "https://crm.example.org:8443/some/path" -> "https://crm.example.org:8443".
std::string origin_of_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const auto path = url.find('/', scheme_end + 3);
  return domain::fold_ascii_case(std::string(url.substr(0, path)));
}

// Origin names the daemon: its public URL's origin, or the Host the request was sent to.
bool origin_is_own(const Request& request, std::string_view public_url) {
  const std::string origin = domain::fold_ascii_case(request.origin);
  const std::string host = domain::fold_ascii_case(request.host);
  if (!public_url.empty() && origin == origin_of_url(public_url)) return true;
  return !host.empty() && (origin == "http://" + host || origin == "https://" + host);
}

}  // namespace

bool from_another_origin(const Request& request, std::string_view public_url) {
  const std::string site = domain::fold_ascii_case(request.fetch_site);
  if (site == "cross-site" || site == "same-site") return true;
  return !request.origin.empty() && !origin_is_own(request, public_url);
}

bool from_own_origin(const Request& request, std::string_view public_url) {
  if (from_another_origin(request, public_url)) return false;
  if (!request.fetch_site.empty()) return domain::fold_ascii_case(request.fetch_site) == "same-origin";
  return !request.origin.empty();  // and, from_another_origin said, the daemon's own
}

}  // namespace relance::api
