// A short HTML page for a person who followed a link from an email (a set-password link):
// self-contained, never framed, never cached, and its address never sent as a Referer.
#pragma once

#include <string>

#include "api/http.hpp"

namespace relance::api {

std::string escape_html(const std::string& s);
// A page titled `title` whose <main> holds `content_html` (already escaped).
Response html_page(int status, const std::string& title, const std::string& content_html);

}  // namespace relance::api
