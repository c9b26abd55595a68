// A short HTML page for a person who followed a link from an email (a reminder's done/snooze
// link, a set-password link): no script, no style sheet, no image, nothing fetched from
// elsewhere (the Content-Security-Policy says so to the browser too); never framed by another
// site, never cached, and its address (which holds the link's secret) never sent as a Referer
// to another origin. Its own forms post to the same origin, which the browser names in
// Origin (a no-referrer policy would make that Origin "null").
#pragma once

#include <string>
#include <string_view>

#include "api/http.hpp"
#include "domain/messages.hpp"

namespace relance::api {

// The language a page speaks to a person nobody's profile names: the browser's
// (Accept-Language, French or English), English for a program that sends none.
domain::Locale browser_locale(const Request& request);

std::string escape_html(const std::string& s);
// A page titled `title` whose <main> holds `content_html` (already escaped), in language
// `lang` ("en", "fr").
Response html_page(int status, const std::string& title, const std::string& content_html,
                   std::string_view lang = "en");

}  // namespace relance::api
