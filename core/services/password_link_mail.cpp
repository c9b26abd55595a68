#include "services/password_link_mail.hpp"

namespace relance::services {

namespace {

// "72 hours", "30 minutes", "1 heure": how long the link works, said as a duration so that
// no time zone is needed to read it.
std::string duration_text(std::chrono::seconds s, bool french) {
  const auto n = s.count();
  auto plural = [](long long k, const char* one, const char* many) {
    return std::to_string(k) + " " + (k == 1 ? one : many);
  };
  if (n >= 3600 && n % 3600 == 0)
    return french ? plural(n / 3600, "heure", "heures") : plural(n / 3600, "hour", "hours");
  if (n >= 60 && n % 60 == 0)
    return french ? plural(n / 60, "minute", "minutes") : plural(n / 60, "minute", "minutes");
  return french ? plural(n, "seconde", "secondes") : plural(n, "second", "seconds");
}

}  // namespace

OutgoingMail password_link_mail(const PasswordLinkMail& m) {
  const bool fr = m.locale == "fr";
  const std::string valid = duration_text(m.validity, fr);
  OutgoingMail mail;
  mail.to = m.to;
  std::string hello = fr ? "Bonjour" : "Hello";
  if (!m.display_name.empty()) hello += " " + m.display_name;
  if (fr) {
    mail.subject = m.invitation ? "Votre compte Relance" : "Nouveau mot de passe Relance";
    mail.text = hello + ",\r\n\r\n" +
                (m.invitation ? "Un compte Relance a été créé pour " + m.to + ".\r\nChoisissez votre mot de passe ici :"
                              : "Une réinitialisation du mot de passe de " + m.to +
                                    " a été demandée.\r\nChoisissez un nouveau mot de passe ici :") +
                "\r\n\r\n" + m.link + "\r\n\r\nCe lien ne sert qu'une fois et expire dans " + valid + "." +
                (m.invitation ? std::string()
                              : "\r\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.") +
                "\r\n";
  } else {
    mail.subject = m.invitation ? "Your Relance account" : "Reset your Relance password";
    mail.text = hello + ",\r\n\r\n" +
                (m.invitation ? "A Relance account was created for " + m.to + ".\r\nChoose your password here:"
                              : "A password reset was asked for " + m.to + ".\r\nChoose a new password here:") +
                "\r\n\r\n" + m.link + "\r\n\r\nThis link works once and expires in " + valid + "." +
                (m.invitation ? std::string()
                              : "\r\nIf you did not ask for it, ignore this message: your password stays as it is.") +
                "\r\n";
  }
  return mail;
}

}  // namespace relance::services
