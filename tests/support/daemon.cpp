#include "daemon.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "contract.hpp"

#ifndef RELANCE_BINARY
#error "RELANCE_BINARY must name the daemon binary"
#endif

namespace relance::test {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// fork + exec of the daemon binary with `args`, output to `out`, extra `env`.
pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::filesystem::path& out) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in >= 0) dup2(null_in, 0);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    std::string bin = RELANCE_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

}  // namespace

Daemon::Daemon(std::map<std::string, std::string> env) : env_(std::move(env)) {
  // Daily digests go out when a user's local clock passes 08:30, whenever a test happens to
  // run: a test that wants them sets the time itself; the others get none.
  env_.emplace("RELANCE_FOLLOWUPS_DIGEST_TIME", "off");
  env_.emplace("RELANCE_FOLLOWUPS_REGION_DIGEST", "off");
  // Users get the daemon's default language, French unless configured; the tests read
  // English unless they choose French (user_times_test checks the default itself).
  env_.emplace("RELANCE_ACCOUNTS_DEFAULT_LOCALE", "en");
  env_.emplace("RELANCE_ADMIN_EMAIL", admin_email);
  env_.emplace("RELANCE_ADMIN_PASSWORD", admin_password);
  // Plugins run in the daemon unless a test chooses otherwise: the plugin tests say what
  // happens in process; those of isolated plugins (plugin_isolation_test) set "process", or
  // "auto" to check the default.
  env_.emplace("RELANCE_PLUGINS_ISOLATION", "in-process");
}

Daemon::~Daemon() {
  // A graceful stop, so that sanitizer builds report leaks and errors at exit.
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 200 && waitpid(pid_, nullptr, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (::kill(pid_, SIGKILL) == 0) wait_exit(pid_);
  }
  if (std::uncaught_exceptions() == 0) contract::report_pending();
  const std::string report = sanitizer_report(log());
  if (!report.empty() && std::uncaught_exceptions() == 0) FAIL_CHECK("the daemon reported:\n" << report);
}

std::string sanitizer_report(const std::string& log) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
    const auto at = log.find(marker);
    if (at != std::string::npos) return log.substr(at, 4000);
  }
  return {};
}

std::string Daemon::log() const {
  std::string all;
  for (int i = 1; i <= starts_; ++i) all += read_file(dir_.path() / ("daemon-" + std::to_string(i) + ".out"));
  return all;
}

void Daemon::start() {
  if (pid_ > 0) throw std::logic_error("daemon already running");
  ++starts_;
  const auto out = dir_.path() / ("daemon-" + std::to_string(starts_) + ".out");
  pid_ = spawn({"serve", "--data-dir", dir_.path().string(), "--listen", "127.0.0.1:0"}, env_, out);
  static const std::regex serving(R"(serving .* on http://127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the daemon exited at start:\n" + read_file(out));
    }
    std::smatch m;
    const std::string text = read_file(out);
    if (std::regex_search(text, m, serving)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
      // A daemon that ran on this port before may have served another document; this one's
      // is fetched by the first response checked (HttpClient::request).
      contract::forget(port_);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the daemon did not start within 30 s:\n" + read_file(out));
}

int Daemon::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  const int code = wait_exit(pid_);
  pid_ = -1;
  const std::string report = sanitizer_report(log());
  if (!report.empty()) FAIL_CHECK("the daemon reported:\n" << report);
  return code;
}

void Daemon::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
}

HttpClient login(std::uint16_t port, const std::string& email, const std::string& password) {
  HttpClient c(port);
  auto r = c.post("/api/v1/auth/login", boost::json::object{{"email", email}, {"password", password}});
  if (r.status != 200) throw std::runtime_error("login of " + email + " failed: " + r.body);
  c.set_token(std::string(r.json().at("token").as_string()));
  return c;
}

HttpClient Daemon::admin() const { return login(port_, admin_email, admin_password); }

std::pair<int, std::string> Daemon::run_cli(const std::vector<std::string>& args,
                                            const std::map<std::string, std::string>& env) {
  TempDir tmp;
  const auto out = tmp.path() / "cli.out";
  const pid_t pid = spawn(args, env, out);
  const int code = wait_exit(pid);
  return {code, read_file(out)};
}

}  // namespace relance::test
