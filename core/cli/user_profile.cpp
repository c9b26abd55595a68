#include "cli/user_profile.hpp"

#include <cstdlib>
#include <optional>

#include "cli/api_client.hpp"

namespace relance::cli {
namespace {

struct Profile {
  std::optional<std::string> time_zone;
  std::optional<domain::Locale> locale;
};

domain::Locale environment_locale() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(name); v && *v) return domain::locale_of(v);
  return domain::Locale::en;
}

// The daemon's answer to /me, once; empty when it cannot be had (it is not an error here:
// the command's own request says what is wrong).
const Profile& profile() {
  static const Profile p = [] {
    Profile out;
    try {
      const Endpoint e = configured_endpoint();
      if (e.token.empty()) return out;
      ApiClient api(e);
      const ApiResponse r = api.request("GET", "/api/v1/me");
      if (r.status != 200) return out;
      const boost::json::value me = r.json();
      if (const auto* z = me.as_object().if_contains("time_zone"); z && z->is_string())
        out.time_zone = std::string(z->as_string());
      if (const auto* l = me.as_object().if_contains("locale"); l && l->is_string())
        out.locale = domain::locale_of(l->as_string(), environment_locale());
    } catch (const std::exception&) {
    }
    return out;
  }();
  return p;
}

}  // namespace

std::string user_time_zone() { return profile().time_zone.value_or("UTC"); }

domain::Locale user_locale() { return profile().locale.value_or(environment_locale()); }

std::string say(std::string_view key, std::initializer_list<std::string_view> args) {
  return domain::message(user_locale(), key, args);
}

}  // namespace relance::cli
