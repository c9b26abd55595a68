// Fixture: a well-behaved event sink and exporter, written with the C++ layer against the
// frozen SDK 1.0 headers. It appends "<event id> <type> <attempt>" to the file named by the
// setting "journal" (flushed to disk before it answers, so that a test sees exactly what
// was delivered, also across a kill -9), counts deliveries in relance.host.state/1, and
// answers INVALID for the event types listed in the setting "reject". With the setting
// "query" (a dataset), each delivery also reads that dataset through relance.host.query/1
// and records in its state how many rows it saw ("rows") and their last names ("names").
// With the setting "sleep_ms", each delivery first waits that long (a slow connector).
// With the setting "echo" (a file), it writes the settings it was given to that file when
// created, logs them, and quotes them in the error of each event it rejects, as a careless
// plugin would.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <string>

#include "relance/plugin.hpp"

namespace {

// The value of a string setting in a flat JSON object; enough for a fixture.
std::string setting(std::string_view json, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\":\"";
  const auto at = json.find(quoted);
  if (at == std::string_view::npos) return {};
  const auto start = at + quoted.size();
  return std::string(json.substr(start, json.find('"', start) - start));
}

class Journal : public relance::Instance, public relance::EventSink, public relance::Exporter {
 public:
  static constexpr const char* format_id = "journal-tsv";
  static constexpr const char* file_extension = "tsv";
  static constexpr const char* mime_type = "text/tab-separated-values";
  static constexpr relance_option options[] = {
      {"header", "write a header line", "yes", "yes|no"}};

  explicit Journal(const relance_host* h)
      : Instance(h),
        path_(setting(host().settings(), "journal")),
        reject_(setting(host().settings(), "reject")),
        query_(setting(host().settings(), "query")),
        sleep_ms_(std::atol(setting(host().settings(), "sleep_ms").c_str())) {
    host().info("journal instance created for " + std::string(host().instance_name()));
    const std::string echo = setting(host().settings(), "echo");
    careless_ = !echo.empty();
    if (careless_) {
      host().info("settings: " + std::string(host().settings()));
      const std::string text(host().settings());
      const std::string tmp = echo + ".new";
      const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) throw relance::Error(RELANCE_FATAL, "cannot open the echo file " + echo);
      const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      ::close(fd);
      if (!ok || ::rename(tmp.c_str(), echo.c_str()) != 0) throw relance::Error(RELANCE_FATAL, "cannot write " + echo);
    }
  }

  relance_status deliver(const relance::Event& e) override {
    if (sleep_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
    if (!reject_.empty() && reject_.find(std::string(e.type())) != std::string::npos)
      throw relance::Error(RELANCE_INVALID, "rejected by setting: " + std::string(e.type()) +
                                                (careless_ ? " (settings: " + std::string(host().settings()) + ")" : ""));
    const auto count = host().get_state("count");
    host().put_state("count", std::to_string(count ? std::stoll(*count) + 1 : 1));
    host().put_state("last", std::to_string(e.id()));
    if (!query_.empty()) read_dataset();
    if (!path_.empty()) {
      const std::string line = std::to_string(e.id()) + " " + std::string(e.type()) + " " +
                               std::to_string(e.attempt()) + " " + std::to_string(e.entity_id()) + "\n";
      const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) throw relance::Error(RELANCE_RETRY, "cannot open the journal " + path_);
      const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) throw relance::Error(RELANCE_RETRY, "cannot write the journal");
    }
    return RELANCE_OK;
  }

  relance_status begin_dataset(const relance_dataset& d) override {
    std::string header;
    for (size_t i = 0; i < d.column_count; ++i)
      header += (i ? "\t" : "") + std::string(relance::view(relance_column_at(&d, i)->name));
    write(header + "\n");
    return RELANCE_OK;
  }
  relance_status write_row(const relance_row& r) override {
    std::string line;
    for (size_t i = 0; i < r.count; ++i) {
      const relance_value& v = r.values[i];
      if (i) line += '\t';
      if (v.kind == RELANCE_VALUE_INTEGER || v.kind == RELANCE_VALUE_BOOLEAN) line += std::to_string(v.integer);
      else if (v.kind != RELANCE_VALUE_NULL) line += relance::view(v.text);
    }
    write(line + "\n");
    return RELANCE_OK;
  }
  relance_status finish(bool) override { return RELANCE_OK; }

 private:
  // Reads the whole dataset through the host's query service, as a connector would.
  void read_dataset() {
    auto* q = host().service<relance_host_query_v1>(RELANCE_HOST_QUERY_V1);
    if (!q) throw relance::Error(RELANCE_INVALID, "no query service");
    relance_query* cursor = nullptr;
    const relance_dataset* columns = nullptr;
    const relance_status s = q->open(host().raw(), relance::str(query_), relance::str(""), &cursor, &columns);
    if (s != RELANCE_OK) {
      host().put_state("rows", "refused " + std::to_string(s));
      return;
    }
    std::size_t last_name = columns->column_count;
    for (size_t i = 0; i < columns->column_count; ++i)
      if (relance::view(relance_column_at(columns, i)->name) == "last_name") last_name = i;
    long rows = 0;
    std::string names;
    for (const relance_row* row = nullptr;;) {
      if (q->next(cursor, &row) != RELANCE_OK || !row) break;
      ++rows;
      if (last_name < row->count) names += std::string(relance::view(row->values[last_name].text)) + ";";
    }
    q->close(cursor);
    host().put_state("rows", std::to_string(rows));
    host().put_state("names", names);
  }

  std::string path_;
  std::string reject_;
  std::string query_;
  long sleep_ms_ = 0;
  bool careless_ = false;
};

}  // namespace

RELANCE_PLUGIN(Journal, "org.relance.fixture.journal", "Journal (fixture)", "Relance tests", "1.0.0")
