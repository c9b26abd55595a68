#include "settings.hpp"

#include <relance/plugin.hpp>

#include <boost/json.hpp>

#include "signature.hpp"

namespace webhook {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw relance::Error(RELANCE_FATAL, why); }

}  // namespace

Settings parse_settings(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec || !v.is_object()) refuse("the settings are not a JSON object");
  const boost::json::object& o = v.get_object();
  Settings s;

  const auto* url = o.if_contains("url");
  if (!url || !url->is_string()) refuse("the setting url is missing");
  s.url = std::string(url->get_string());
  if (!s.url.starts_with("https://") && !s.url.starts_with("http://"))
    refuse("the setting url is not an http:// or https:// URL");

  const auto* secret = o.if_contains("secret");
  if (!secret || !secret->is_string()) refuse("the setting secret is missing");
  const auto key = decode_secret(std::string_view(secret->get_string()));
  if (!key) refuse("the setting secret is not \"whsec_\" followed by 24 to 64 bytes in base64");
  s.key = *key;

  if (const auto* t = o.if_contains("timeout_ms")) {
    if (!t->is_int64() || t->get_int64() < 100 || t->get_int64() > 60000)
      refuse("the setting timeout_ms is not a number of milliseconds from 100 to 60000");
    s.timeout_ms = static_cast<std::uint32_t>(t->get_int64());
  }
  if (const auto* f = o.if_contains("follow_redirects")) {
    if (!f->is_bool()) refuse("the setting follow_redirects is not true or false");
    s.follow_redirects = f->get_bool();
  }
  return s;
}

}  // namespace webhook
