// Who runs the command, as far as times and words go: the user's time zone and locale, as
// the daemon knows them (GET /api/v1/me), asked once per process and only when a command
// first needs one; nothing is kept on disk. Never the machine's TZ: a founder's laptop in
// Tokyo still reads "tomorrow 09:00" in her own zone.
//
// Commands print sentences through say(): the catalogue of domain/messages.hpp in the user's
// language. A command file adds its sentences to core/domain/message_catalogue.cpp and calls
// say("its.key", {args...}) instead of writing English in place.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "domain/messages.hpp"

namespace relance::cli {

// The user's IANA time zone ("UTC" when the daemon cannot be asked).
std::string user_time_zone();
// The user's language; before the daemon can be asked (not logged in, unreachable), the
// environment's (LC_ALL, LC_MESSAGES, LANG), else English.
domain::Locale user_locale();
// A sentence of the catalogue in the user's language, {0}, {1}... filled with `args`.
std::string say(std::string_view key, std::initializer_list<std::string_view> args = {});
// A word of a known set ("cli.import.state.", "done") in the user's language, or as it is.
std::string say_word(std::string_view family, std::string_view word);
// The stored token changed (`relance login`): the next sentence asks the daemon anew.
void forget_profile();

}  // namespace relance::cli
