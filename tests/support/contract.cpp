#include "contract.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http_client.hpp"

#if !defined(RELANCE_CONTRACT_PYTHON) || !defined(RELANCE_CONTRACT_CHECKER) || !defined(RELANCE_CONTRACT_KNOWN_DRIFTS)
#error "RELANCE_CONTRACT_PYTHON, RELANCE_CONTRACT_CHECKER and RELANCE_CONTRACT_KNOWN_DRIFTS must be defined"
#endif

namespace relance::test::contract {
namespace json = boost::json;
namespace {

// Static initialisation runs on the main thread, the only one Catch2 assertions may use.
const std::thread::id main_thread = std::this_thread::get_id();

// The checker process, spoken to one line of JSON each way.
class Checker {
 public:
  ~Checker() {
    if (to_) std::fclose(to_);  // end of input: the checker exits
    if (from_) std::fclose(from_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }

  json::object ask(const json::object& question) {
    if (!to_) start();
    const std::string line = json::serialize(question) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), to_) != line.size() || std::fflush(to_) != 0)
      throw std::runtime_error("the contract checker is gone (does " RELANCE_CONTRACT_PYTHON " import jsonschema?)");
    std::string reply;
    char chunk[4096];
    while (std::fgets(chunk, sizeof chunk, from_)) {
      reply += chunk;
      if (reply.back() == '\n') break;
    }
    if (reply.empty())
      throw std::runtime_error("the contract checker did not answer (does " RELANCE_CONTRACT_PYTHON " import jsonschema?)");
    return json::parse(reply).as_object();
  }

 private:
  void start() {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      // Nothing else of the test's: an inherited socket would keep a connection open for the
      // daemon (counted against its per-client limit) as long as the checker lives.
      close_range(3, ~0U, 0);
      execl(RELANCE_CONTRACT_PYTHON, RELANCE_CONTRACT_PYTHON, RELANCE_CONTRACT_CHECKER, RELANCE_CONTRACT_KNOWN_DRIFTS,
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    // A checker that died must not kill the test binary with SIGPIPE: the write fails instead.
    signal(SIGPIPE, SIG_IGN);
    to_ = fdopen(in[1], "w");
    from_ = fdopen(out[0], "r");
  }

  pid_t pid_ = -1;
  std::FILE* to_ = nullptr;
  std::FILE* from_ = nullptr;
};

struct State {
  std::mutex mutex;
  Checker checker;
  std::map<std::string, std::int64_t> ids;        // document text -> id the checker knows it by
  std::map<std::uint16_t, std::int64_t> by_port;  // port -> document id
  std::vector<std::string> pending;               // drifts seen off the main thread
};

State& state() {
  static State s;
  return s;
}

bool is_json(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  return media == "application/json" || media.ends_with("+json");
}

void report(std::vector<std::string> drifts) {
  for (const auto& d : drifts) FAIL_CHECK("the response disagrees with the OpenAPI document: " << d);
}

}  // namespace

void learn(std::uint16_t port, const std::string& document) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  auto [it, added] = s.ids.emplace(document, static_cast<std::int64_t>(s.ids.size() + 1));
  if (added) s.checker.ask({{"op", "document"}, {"id", it->second}, {"document", json::parse(document)}});
  s.by_port[port] = it->second;
}

bool knows(std::uint16_t port) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.by_port.contains(port);
}

void forget(std::uint16_t port) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.by_port.erase(port);
}

void check(std::uint16_t port, const std::string& method, const std::string& target, const HttpResponse& response) {
  State& s = state();
  bool known;
  {
    std::lock_guard lock(s.mutex);
    known = s.by_port.contains(port);
  }
  if (!known) return;
  json::object headers;
  for (const auto& [k, v] : response.headers) headers[k] = v;
  json::object question{{"op", "check"},
                        {"method", method},
                        {"target", target},
                        {"status", response.status},
                        {"headers", std::move(headers)},
                        {"body_size", response.body.size()}};
  if (is_json(response.header("content-type"))) question["body"] = response.body;
  std::vector<std::string> drifts;
  {
    std::lock_guard lock(s.mutex);
    question["document"] = s.by_port.at(port);
    const json::object reply = s.checker.ask(question);
    if (!reply.at("ok").as_bool()) {
      std::string drift = std::string(reply.at("operation").as_string()) + ": " +
                          std::string(reply.at("drift").as_string());
      if (std::this_thread::get_id() == main_thread) drifts.push_back(std::move(drift));
      else s.pending.push_back(std::move(drift));
    }
    if (std::this_thread::get_id() == main_thread) {
      drifts.insert(drifts.end(), s.pending.begin(), s.pending.end());
      s.pending.clear();
    }
  }
  report(std::move(drifts));
}

void report_pending() {
  if (std::this_thread::get_id() != main_thread) return;
  std::vector<std::string> drifts;
  {
    State& s = state();
    std::lock_guard lock(s.mutex);
    drifts.swap(s.pending);
  }
  report(std::move(drifts));
}

}  // namespace relance::test::contract
