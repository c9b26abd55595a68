#include "api/html_page.hpp"

namespace relance::api {

domain::Locale browser_locale(const Request& request) {
  return domain::accepted_locale(request.accept_language, domain::Locale::en);
}

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

Response html_page(int status, const std::string& title, const std::string& content_html, std::string_view lang) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html><html lang=\"" + std::string(lang) + "\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Relance: " +
           escape_html(title) + "</title></head><body><main><h1 id=\"title\">" + escape_html(title) + "</h1>" +
           content_html + "</main></body></html>\n";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  return r;
}

}  // namespace relance::api
