// Sending over SMTP: see smtp.hpp.
#include "smtp.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

namespace email_reminder {

namespace {

// The command verb of a line we sent ("RCPT TO:<a@b>" -> "RCPT"), the AUTH exchange
// included ("AUTH PLAIN ..." -> "AUTH"; its continuation lines keep "AUTH").
std::string verb_of(std::string_view line) {
  const auto end = line.find_first_of(" :\r\n");
  std::string verb(line.substr(0, end));
  for (char& c : verb)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return verb;
}

// An SMTP reply line: three digits, then a space, a dash or the end ("220 mx ESMTP"). Only
// such a line shows that an SMTP server is there; a banner of another protocol is not one.
bool is_reply(std::string_view line) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return line.size() >= 3 && digit(line[0]) && digit(line[1]) && digit(line[2]) &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '-' || line[3] == '\r');
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return std::string(s);
}

// "host:port" of an smtp:// or smtps:// URL, the port defaulted by the scheme (25, 465),
// without the user-info.
std::string server_of(const std::string& url) {
  const std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
  char* host = nullptr;
  char* port = nullptr;
  std::string out = "the configured server";
  if (u && curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
    out = std::string(host) + ":" + port;
  curl_free(host);
  curl_free(port);
  return out;
}

}  // namespace

Smtp::Smtp(const Settings& s, const relance::Host& host)
    : curl_(curl_easy_init()), host_(host), url_(s.smtp_url), server_(server_of(s.smtp_url)) {
  if (!curl_) throw relance::Error(RELANCE_FATAL, "libcurl: cannot create a handle");
  if (!host_.has_outbound_policy()) {
    curl_easy_cleanup(curl_);
    throw relance::Error(RELANCE_FATAL, "the daemon offers no outbound policy (relance.host.outbound/1, SDK 1.1): "
                                        "connections cannot be checked, so none is made");
  }
  curl_easy_setopt(curl_, CURLOPT_URL, s.smtp_url.c_str());
  curl_easy_setopt(curl_, CURLOPT_OPENSOCKETFUNCTION, &Smtp::open_socket);
  curl_easy_setopt(curl_, CURLOPT_OPENSOCKETDATA, this);
  // No proxy from the environment (all_proxy): through one, the policy would judge the
  // proxy's address and never the server's.
  curl_easy_setopt(curl_, CURLOPT_PROXY, "");
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);  // the daemon's threads: no SIGALRM
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, s.connect_timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, s.timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  if (!s.implicit_tls) {
    const long use_ssl = s.starttls == StartTls::required ? CURLUSESSL_ALL
                         : s.starttls == StartTls::attempt ? CURLUSESSL_TRY
                                                           : CURLUSESSL_NONE;
    curl_easy_setopt(curl_, CURLOPT_USE_SSL, use_ssl);
  }
  if (s.insecure_tls) {
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!s.username.empty()) {
    curl_easy_setopt(curl_, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(curl_, CURLOPT_PASSWORD, s.password.c_str());
  }
  curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &Smtp::read);
  curl_easy_setopt(curl_, CURLOPT_READDATA, this);
  // The trace gives the server's replies, for the reason of a failure (and which command it
  // answered). It sees the message too: only the lines of the conversation are kept.
  curl_easy_setopt(curl_, CURLOPT_DEBUGFUNCTION, &Smtp::trace);
  curl_easy_setopt(curl_, CURLOPT_DEBUGDATA, this);
  curl_easy_setopt(curl_, CURLOPT_VERBOSE, 1L);
}

Smtp::~Smtp() { curl_easy_cleanup(curl_); }

size_t Smtp::read(char* buffer, size_t size, size_t count, void* p) {
  auto* self = static_cast<Smtp*>(p);
  const size_t left = self->data_->size() - self->sent_;
  const size_t n = left < size * count ? left : size * count;
  std::memcpy(buffer, self->data_->data() + self->sent_, n);
  self->sent_ += n;
  return n;
}

// Every address libcurl is about to connect to (each one a name resolved to, a proxy's
// too), before the socket exists: the policy refuses, and no packet leaves.
curl_socket_t Smtp::open_socket(void* p, curlsocktype, curl_sockaddr* a) {
  auto* self = static_cast<Smtp*>(p);
  char text[INET6_ADDRSTRLEN] = {};
  uint16_t port = 0;
  if (a->family == AF_INET && a->addrlen >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, &a->addr, sizeof in);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
  } else if (a->family == AF_INET6 && a->addrlen >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &a->addr, sizeof in6);
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    port = ntohs(in6.sin6_port);
  }
  if (!text[0] || !self->host_.may_connect(text, port)) {
    ++self->refused_;
    return CURL_SOCKET_BAD;
  }
  ++self->opened_;
  return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

int Smtp::trace(CURL*, curl_infotype type, char* data, size_t size, void* p) {
  auto* self = static_cast<Smtp*>(p);
  if (type == CURLINFO_HEADER_IN) {
    if (size == 0 || self->command_ == "QUIT") return 0;
    self->replied_ = self->replied_ || is_reply(std::string_view(data, size));
    if (data[0] == '2' || data[0] == '3') {  // recovered (HELO after a refused EHLO): no failure so far
      self->failure_.clear();
      if (data[0] == '2' && self->command_ == "the message") self->accepted_ = trimmed(std::string_view(data, size));
    } else if (self->failure_.empty() && (data[0] == '4' || data[0] == '5')) {
      self->failure_ = trimmed(std::string_view(data, size));
      self->failed_command_ = self->command_;
    }
  } else if (type == CURLINFO_HEADER_OUT) {
    const std::string verb = verb_of(std::string_view(data, size));
    // Base64 lines of an AUTH exchange are no command; anything else is.
    const bool command = verb == "EHLO" || verb == "HELO" || verb == "STARTTLS" || verb == "AUTH" ||
                         verb == "MAIL" || verb == "RCPT" || verb == "DATA" || verb == "QUIT" || verb == "RSET" ||
                         verb == "NOOP";
    if (command) self->command_ = verb;
  } else if (type == CURLINFO_DATA_OUT) {
    self->command_ = "the message";  // its final reply is the verdict on the message
  }
  return 0;
}

void Smtp::send(const std::string& from, const std::string& recipient, const std::string& data) {
  data_ = &data;
  sent_ = 0;
  command_ = "the greeting";
  failure_.clear();
  failed_command_.clear();
  accepted_.clear();
  replied_ = false;
  refused_ = opened_ = 0;
  error_[0] = '\0';
  const std::string mail_from = "<" + from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + recipient + ">").c_str());
  if (!rcpt) throw relance::Error(RELANCE_RETRY, "out of memory");
  curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  const CURLcode result = curl_easy_perform(curl_);
  curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, nullptr);
  curl_slist_free_all(rcpt);
  data_ = nullptr;
  if (result == CURLE_OK) return;

  const std::string detail = error_[0] ? std::string(error_) : std::string(curl_easy_strerror(result));
  if (refused_ > 0 && opened_ == 0)  // the daemon's log names the address and why
    throw relance::Error(RELANCE_RETRY, "SMTP server " + server_ +
                                            ": refused by the daemon's outbound policy (a loopback, private, "
                                            "link-local, reserved or metadata address; only the operator can "
                                            "allow it, with [outbound] allow in relance.toml)");
  if (!replied_) {
    host_.warn("could not reach the SMTP server at " + server_ + ": " + detail +
               (result == CURLE_OPERATION_TIMEDOUT ? " (while waiting for " + command_ + ")" : std::string()));
    throw relance::Error(RELANCE_RETRY, "could not reach the SMTP server at " + server_ +
                                            " (no SMTP greeting; the daemon's log says why)");
  }

  const int code = failure_.size() >= 3 ? (failure_[0] - '0') * 100 + (failure_[1] - '0') * 10 + (failure_[2] - '0') : 0;
  const std::string where = "SMTP " + url_ + ": ";
  if (result == CURLE_LOGIN_DENIED)
    throw relance::Error(RELANCE_RETRY, where + "authentication refused (" + (failure_.empty() ? detail : failure_) +
                                            "): check the username and password settings");
  if (code >= 400 && code < 600) {
    const std::string answered = where + "the server answered \"" + failure_ + "\" to " + failed_command_;
    if (code == 530)  // authentication required: the settings', not the message's
      throw relance::Error(RELANCE_RETRY, answered + ": the server requires authentication (username and password settings)");
    const bool message_refused = code >= 500 && (failed_command_ == "MAIL" || failed_command_ == "RCPT" ||
                                                 failed_command_ == "DATA" || failed_command_ == "the message");
    throw relance::Error(message_refused ? RELANCE_INVALID : RELANCE_RETRY, answered);
  }
  // The server spoke, then the connection, TLS (STARTTLS) or a timeout failed. Worth another try.
  std::string reason = where + detail;
  if (result == CURLE_OPERATION_TIMEDOUT) reason += " (while waiting for " + command_ + ")";
  if (result == CURLE_USE_SSL_FAILED) reason += " (starttls is \"required\" and the server offers no STARTTLS)";
  throw relance::Error(RELANCE_RETRY, reason);
}

}  // namespace email_reminder
