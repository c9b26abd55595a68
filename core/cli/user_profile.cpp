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

Profile profile_of(const boost::json::object& me) {
  Profile out;
  if (const auto* z = me.if_contains("time_zone"); z && z->is_string()) out.time_zone = std::string(z->as_string());
  if (const auto* l = me.if_contains("locale"); l && l->is_string())
    out.locale = domain::locale_of(l->as_string(), environment_locale());
  return out;
}

std::optional<Profile> known;  // the process is one command: one user, asked once
bool asking = false;

// The daemon's answer to /me, once; empty when it cannot be had (it is not an error here:
// the command's own request says what is wrong). A sentence said while asking (the daemon
// cannot be reached, and the client says so) is in the environment's language, rather than
// asking again from inside the question.
const Profile& profile() {
  static const Profile none;
  if (known) return *known;
  if (asking) return none;
  asking = true;
  Profile p;
  try {
    const Endpoint e = configured_endpoint();
    if (!e.token.empty()) {
      ApiClient api(e);
      const ApiResponse r = api.request("GET", "/api/v1/me");
      if (r.status == 200) {
        const boost::json::value me = r.json();
        if (me.is_object()) p = profile_of(me.as_object());
      }
    }
  } catch (const std::exception&) {
  }
  asking = false;
  known = std::move(p);
  return *known;
}

}  // namespace

void forget_profile() { known.reset(); }

std::string user_time_zone() { return profile().time_zone.value_or("UTC"); }

domain::Locale user_locale() { return profile().locale.value_or(environment_locale()); }

std::string say(std::string_view key, std::initializer_list<std::string_view> args) {
  return domain::message(user_locale(), key, args);
}

std::string say_word(std::string_view family, std::string_view word) {
  return domain::word_label(user_locale(), family, word);
}

}  // namespace relance::cli
