#include "cli/login_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/user_profile.hpp"
#include "cli/when.hpp"

namespace relance::cli {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct LoginArgs {
  std::string url;
  std::string email;
};

// "Password" of "Password: ", "Mot de passe" of "Mot de passe : " (a no-break space).
std::string prompt_label(const std::string& prompt) {
  std::string label = prompt.substr(0, prompt.find(':'));
  for (const std::string_view blank : {" ", "\u00a0"})
    while (label.ends_with(blank)) label.erase(label.size() - blank.size());
  return label;
}

}  // namespace

std::string read_line(const std::string& prompt) {
  if (isatty(STDIN_FILENO)) std::cerr << prompt << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) throw CliError(usage, say("cli.input.none", {prompt_label(prompt)}));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string read_password(const std::string& prompt) {
  if (!isatty(STDIN_FILENO)) return read_line(prompt);
  termios saved{};
  tcgetattr(STDIN_FILENO, &saved);
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::string password;
  try {
    password = read_line(prompt);
  } catch (...) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
    throw;
  }
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cerr << "\n";
  return password;
}

namespace {

// A TOML basic string.
std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += {'\\', c};
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else out += c;
  }
  return out + "\"";
}

// Replaces the credentials file (0600, in a 0700 directory) through a renamed temporary copy.
void write_credentials(const std::string& url, const std::string& token) {
  const fs::path file = credentials_file();
  const fs::path dir = file.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || ::chmod(dir.c_str(), 0700) != 0)
    throw CliError(failed, say("cli.file.cannot_create", {dir.string(), ec ? ec.message() : std::strerror(errno)}));
  std::string text = "# relance login: the server and session token of the command line\n";
  text += "url = " + toml_string(url) + "\n";
  if (!token.empty()) text += "token = " + toml_string(token) + "\n";
  const fs::path tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw CliError(failed, say("cli.file.cannot_write_why", {tmp.string(), std::strerror(errno)}));
  const bool written = ::fchmod(fd, 0600) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), file.c_str()) != 0) {
    const std::string why = std::strerror(written ? errno : write_errno);
    ::unlink(tmp.c_str());
    throw CliError(failed, say("cli.file.cannot_write_why", {file.string(), why}));
  }
}

int run_login(const LoginArgs& a) {
  std::string url = a.url.empty() ? configured_endpoint().url : a.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  const std::string email = a.email.empty() ? read_line(say("cli.login.prompt.email")) : a.email;
  const std::string password = read_password(say("cli.login.prompt.password"));
  ApiClient api(Endpoint{url, ""});
  const ApiResponse r =
      api.request("POST", "/api/v1/auth/login", json::serialize(json::object{{"email", email}, {"password", password}}));
  if (r.status == 401) throw CliError(unauthorised, say("cli.login.refused"));
  check_status(r);
  const json::value answer = r.json();
  write_credentials(url, std::string(answer.at("token").as_string()));
  // From here on the command speaks for the account that logged in (its language, its zone),
  // not for the one whose token was stored before, if any, nor for nobody.
  forget_profile();
  const auto* expires = answer.as_object().if_contains("expires_at");
  const std::string file = credentials_file().string();
  std::cout << (expires && expires->is_string()
                    ? say("cli.login.done", {url, email, local_time(expires->as_string()), file})
                    : say("cli.login.done_open", {url, email, file}))
            << "\n";
  return ok;
}

int run_logout() {
  const Endpoint e = resolve_endpoint();
  user_locale();  // asked while the token still works: the goodbye is in the user's language
  ApiClient api(e);
  const ApiResponse r = api.request("POST", "/api/v1/auth/logout");
  if (r.status != 401) check_status(r);  // 401: the token had already stopped working
  if (fs::exists(credentials_file())) write_credentials(configured_endpoint().url, "");
  std::cout << say("cli.logout.done", {e.url}) << "\n";
  return ok;
}

}  // namespace

void add_login_commands(CLI::App& app, std::function<int()>& run) {
  auto a = std::make_shared<LoginArgs>();
  auto* login = app.add_subcommand(
      "login", "Log in to a daemon; asks the password (without echo, or one line of standard input) and keeps "
               "the session token in $XDG_CONFIG_HOME/relance/credentials.toml (mode 0600)");
  login->add_option("--url", a->url, "The daemon's URL (default: RELANCE_URL, the stored one, or http://127.0.0.1:8080)");
  login->add_option("--email", a->email, "Your login email (asked when not given)");
  login->callback([&run, a] { run = [a] { return run_login(*a); }; });
  auto* logout = app.add_subcommand("logout", "Revoke the session token and forget it (the server's URL stays)");
  logout->callback([&run] { run = [] { return run_logout(); }; });
}

}  // namespace relance::cli
