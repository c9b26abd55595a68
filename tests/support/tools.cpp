#include "tools.hpp"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>

#include "domain/text.hpp"

namespace relance::test {

std::string utc_instant(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::pair<int, std::string> shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return {-1, "popen failed"};
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::pair<int, std::string> relance_cli(const std::map<std::string, std::string>& env,
                                        const std::vector<std::string>& args, const std::string& input) {
  std::string cmd = "printf '%s' " + quoted(input) + " | env";
  for (const auto& [k, v] : env) cmd += " " + quoted(k + "=" + v);
  cmd += " " + quoted(RELANCE_BINARY);
  for (const auto& a : args) cmd += " " + quoted(a);
  return shell(cmd);
}

std::string sqlite(const std::string& db, const std::string& sql) {
  auto [code, out] = shell("sqlite3 -batch " + quoted(db) + " " + quoted(sql));
  INFO("sqlite3 " << db << " " << sql << ": " << out);
  REQUIRE(code == 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::vector<boost::json::object> list_all(HttpClient& c, const std::string& collection) {
  std::vector<boost::json::object> out;
  std::string cursor;
  for (int page = 0; page < 10000; ++page) {
    std::string target = "/api/v1/" + collection + "?limit=200";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto r = c.get(target);
    INFO(target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    auto doc = r.json().as_object();
    for (auto& item : doc.at("items").as_array()) out.push_back(item.as_object());
    if (doc.at("next_cursor").is_null()) return out;
    cursor = std::string(doc.at("next_cursor").as_string());
  }
  FAIL("the list of " << collection << " never ended");
  return out;
}

std::string base64url(const std::string& bytes) { return domain::base64url_encode(bytes); }

}  // namespace relance::test
