// The instance's settings: see settings.hpp.
#include "settings.hpp"

#include <relance/plugin.hpp>

#include <boost/json.hpp>

#include "mime.hpp"

namespace email_reminder {

namespace json = boost::json;

namespace {

[[noreturn]] void refuse(const std::string& why) { throw relance::Error(RELANCE_INVALID, "settings: " + why); }

std::string text_of(const json::value& v, const char* key) {
  if (!v.is_string()) refuse(std::string(key) + " must be a string");
  return std::string(v.get_string());
}

long milliseconds_of(const json::value& v, const char* key) {
  if (!v.is_int64() && !v.is_uint64()) refuse(std::string(key) + " must be a whole number of milliseconds");
  const auto ms = v.to_number<int64_t>();
  if (ms < 1 || ms > 600000) refuse(std::string(key) + " must be from 1 to 600000 milliseconds");
  return static_cast<long>(ms);
}

}  // namespace

Settings parse_settings(std::string_view text) {
  json::value root;
  try {
    root = json::parse(json::string_view(text.data(), text.size()));
  } catch (const std::exception& e) {
    refuse(std::string("not JSON: ") + e.what());
  }
  if (!root.is_object()) refuse("must be a JSON object");
  Settings s;
  std::string from, starttls;
  for (const auto& [key, value] : root.get_object()) {
    if (key == "smtp_url") s.smtp_url = text_of(value, "smtp_url");
    else if (key == "starttls") starttls = text_of(value, "starttls");
    else if (key == "username") s.username = text_of(value, "username");
    else if (key == "password") s.password = text_of(value, "password");
    else if (key == "from") from = text_of(value, "from");
    else if (key == "connect_timeout_ms") s.connect_timeout_ms = milliseconds_of(value, "connect_timeout_ms");
    else if (key == "timeout_ms") s.timeout_ms = milliseconds_of(value, "timeout_ms");
    else if (key == "message_id_domain") s.message_id_domain = text_of(value, "message_id_domain");
    else if (key == "insecure_tls") {
      if (!value.is_bool()) refuse("insecure_tls must be true or false");
      s.insecure_tls = value.get_bool();
    } else {
      refuse("unknown setting \"" + std::string(key) +
             "\" (known: smtp_url, starttls, username, password, from, connect_timeout_ms, timeout_ms, "
             "insecure_tls, message_id_domain)");
    }
  }

  if (s.smtp_url.rfind("smtps://", 0) == 0) s.implicit_tls = true;
  else if (s.smtp_url.rfind("smtp://", 0) != 0)
    refuse("smtp_url must be smtp://host[:port] or smtps://host[:port], not \"" + s.smtp_url + "\"");
  if (s.smtp_url.find_first_of(" \r\n\t") != std::string::npos) refuse("smtp_url holds white space");

  if (starttls.empty() || starttls == "try") s.starttls = StartTls::attempt;
  else if (starttls == "required") s.starttls = StartTls::required;
  else if (starttls == "no") s.starttls = StartTls::no;
  else refuse("starttls must be \"required\", \"try\" or \"no\", not \"" + starttls + "\"");
  if (s.implicit_tls && !starttls.empty() && starttls != "try")
    refuse("starttls applies to smtp:// only: an smtps:// URL is TLS from the start");

  if (!s.password.empty() && s.username.empty()) refuse("password given without username");

  if (from.empty()) refuse("from is required (\"Relance <relance@example.org>\")");
  const auto mailbox = mime::parse_mailbox(from);
  if (!mailbox) refuse("from is not an address: \"" + from + "\"");
  s.from_name = mailbox->name;
  s.from_address = mailbox->address;

  if (s.message_id_domain.empty()) s.message_id_domain = s.from_address.substr(s.from_address.rfind('@') + 1);
  else if (!mime::valid_domain(s.message_id_domain))
    refuse("message_id_domain is not a domain: \"" + s.message_id_domain + "\"");
  return s;
}

}  // namespace email_reminder
