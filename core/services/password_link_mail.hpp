// The message that carries a set-password link (an invitation or a reset), in the user's
// language (fr or en; English for any other).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "services/account_service.hpp"

namespace relance::services {

struct PasswordLinkMail {
  std::string to;
  std::string display_name;  // may be empty
  std::string locale;        // "fr", "en"
  std::string link;
  std::chrono::seconds validity;
  bool invitation = false;  // the user never had a password
};

OutgoingMail password_link_mail(const PasswordLinkMail& m);

}  // namespace relance::services
