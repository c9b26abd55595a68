#include "mail/smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <stdexcept>

namespace relance::mail {

namespace {

std::string base64(std::string_view in) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto byte = [&](std::size_t i) { return i < in.size() ? static_cast<unsigned>(static_cast<unsigned char>(in[i])) : 0u; };
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? alphabet[n & 63] : '=';
  }
  return out;
}

// A header value: as it is when ASCII, else one RFC 2047 encoded word per 45 bytes
// (cut between UTF-8 sequences), so that no line is long and no octet is 8-bit.
std::string header_text(std::string_view s) {
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return std::string(s);
  std::string out;
  while (!s.empty()) {
    std::size_t n = std::min<std::size_t>(45, s.size());
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + base64(s.substr(0, n)) + "?=";
    s.remove_prefix(n);
  }
  return out;
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "relance.invalid" : address.substr(at + 1);
}

std::string message_text(const SmtpSettings& s, const Message& m) {
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::random_device rd;
  const std::string id = std::to_string(now) + "." + std::to_string(rd()) + std::to_string(rd());
  std::string body = base64(m.text);
  std::string wrapped;
  for (std::size_t i = 0; i < body.size(); i += 76) wrapped += body.substr(i, 76) + "\r\n";
  return "Date: " + std::string(date) + "\r\nFrom: " + s.from + "\r\nTo: " + m.to + "\r\nSubject: " +
         header_text(m.subject) + "\r\nMessage-ID: <" + id + "@" + domain_of(s.from) +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         wrapped;
}

struct Upload {
  std::string text;
  std::size_t at = 0;
};

std::size_t read_upload(char* out, std::size_t size, std::size_t n, void* context) {
  auto* u = static_cast<Upload*>(context);
  const std::size_t len = std::min(size * n, u->text.size() - u->at);
  std::memcpy(out, u->text.data() + u->at, len);
  u->at += len;
  return len;
}

}  // namespace

void check_settings(const SmtpSettings& s) {
  if (!s.configured()) return;
  if (!s.url.starts_with("smtp://") && !s.url.starts_with("smtps://"))
    throw std::invalid_argument("mail.smtp_url: smtp://HOST:PORT or smtps://HOST:PORT");
  if (s.url.find('@') != std::string::npos)
    throw std::invalid_argument("mail.smtp_url: no credentials in the URL; set mail.username and mail.password");
  if (s.from.find('@') == std::string::npos || has_line_break(s.from))
    throw std::invalid_argument("mail.from: the sender's email address is required with mail.smtp_url");
  if (s.password.empty() != s.username.empty())
    throw std::invalid_argument("mail.username and mail.password go together");
}

void send(const SmtpSettings& s, const Message& m) {
  if (has_line_break(m.to) || has_line_break(m.subject) || m.to.find('@') == std::string::npos)
    throw std::runtime_error("not a single email address: " + m.to);
  static std::once_flag global;
  std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* c = curl_easy_init();
  if (!c) throw std::runtime_error("cannot start an SMTP client");
  Upload upload{message_text(s, m)};
  const std::string from = "<" + s.from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(s.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.timeout.count()));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");  // the operator's server, not a proxy's idea of it
  if (s.url.starts_with("smtp://") && s.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!s.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) {
    std::string why = "sending to " + m.to + " through " + s.url + " failed: " + curl_easy_strerror(rc);
    if (error[0]) why += " (" + std::string(error) + ")";
    if (reply) why += ", last reply " + std::to_string(reply);
    throw std::runtime_error(why);
  }
}

}  // namespace relance::mail
