// example_cpp: a Relance plugin in C++17 on relance/plugin.hpp, written to be read as a model.
//
// One instance class plays two roles:
// - relance.event-sink/1: appends the id of every event it receives to the state key
//   "journal" (one id per line), through relance.host.state/1;
// - relance.exporter/1: the "tsv" format, tab-separated values. Each dataset starts with a
//   line of column names (unless the option header=no) and a blank line separates datasets.
//
// plugin.hpp turns the C contract into virtual functions and catches every exception at the
// boundary: throwing relance::Error(status, why) is how a call fails with a given status.
// Build it with relance_add_plugin(example_cpp SOURCES journal.cpp).
#include <relance/plugin.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace {

// The state service keeps values up to 1 MiB: the journal keeps its newest ids within that.
constexpr std::size_t journal_limit = 1 << 20;

// Appends `text` to `out` with the escapes of the common TSV dialect (as PostgreSQL's COPY
// text format): a tab, a line break or a backslash inside a value would otherwise break
// the grid.
void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default: out += c;
    }
  }
}

// Formats one value. Strings crossing the boundary are views, not NUL-terminated: always
// use relance::view() or the size. Kinds newer than this plugin fall back to `text`, which
// the contract guarantees for them.
void append_value(std::string& out, const relance_value& v) {
  char number[64];
  switch (v.kind) {
    case RELANCE_VALUE_NULL: return;  // an empty field
    case RELANCE_VALUE_INTEGER:
      std::snprintf(number, sizeof number, "%lld", static_cast<long long>(v.integer));
      out += number;
      return;
    case RELANCE_VALUE_REAL:
      std::snprintf(number, sizeof number, "%.17g", v.real);  // round-trips a double
      out += number;
      return;
    case RELANCE_VALUE_BOOLEAN: out += v.integer != 0 ? "true" : "false"; return;
    case RELANCE_VALUE_MONEY: {
      // `integer` minor units with `scale` decimals: 1234 and 2 are 12.34. Done in integers,
      // a double would round large amounts.
      const bool negative = v.integer < 0;
      const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(v.integer)  // INT64_MIN too
                                      : static_cast<std::uint64_t>(v.integer);
      std::string digits = std::to_string(magnitude);
      const auto scale = static_cast<std::size_t>(v.scale > 0 ? v.scale : 0);
      if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
      if (scale > 0) digits.insert(digits.size() - scale, 1, '.');
      if (negative) out += '-';
      out += digits;
      if (v.text.size > 0) {
        out += ' ';
        append_escaped(out, relance::view(v.text));  // the ISO 4217 currency
      }
      return;
    }
    default: append_escaped(out, relance::view(v.text)); return;  // TEXT, DATE, INSTANT, LIST...
  }
}

// The value of option `name` in the request's options, a flat JSON object of strings that
// the daemon has already validated against the declared options ({"header": "no"}). A
// plugin with richer options would use a JSON library; this one needs a single flag.
std::string_view option(std::string_view json, std::string_view name) {
  const std::string quoted = "\"" + std::string(name) + "\"";
  std::size_t at = json.find(quoted);
  if (at == std::string_view::npos) return {};
  at = json.find('"', json.find(':', at + quoted.size()));
  const std::size_t end = json.find('"', at + 1);
  if (at == std::string_view::npos || end == std::string_view::npos) return {};
  return json.substr(at + 1, end - at - 1);
}

class Journal : public relance::Instance, public relance::EventSink, public relance::Exporter {
 public:
  // Created per configuration; host() is this instance's handle (state, log, config).
  using Instance::Instance;

  // The exporter's description, read by plugin.hpp into the relance.exporter/1 table.
  static constexpr const char* format_id = "tsv";
  static constexpr const char* file_extension = "tsv";
  static constexpr const char* mime_type = "text/tab-separated-values";
  static constexpr relance_option options[] = {
      {"header", "Start each dataset with a line of column names", "yes", "yes|no"},
  };

  // relance.event-sink/1. The state write commits with the delivery (and is dropped if this
  // returns anything but OK), so a redelivered event is never journaled twice.
  relance_status deliver(const relance::Event& event) override {
    std::string journal = host().get_state("journal").value_or("");
    journal += std::to_string(event.id());
    journal += '\n';
    if (journal.size() > journal_limit) {  // drop the oldest ids, whole lines
      journal.erase(0, journal.find('\n', journal.size() - journal_limit) + 1);
    }
    host().put_state("journal", journal);  // throws relance::Error(RETRY, ...) when busy
    return RELANCE_OK;
  }

  // relance.exporter/1. open() must let the base class keep the byte sink.
  relance_status open(const relance_export_request& request) override {
    const relance_status status = Exporter::open(request);
    header_ = option(relance::view(request.options), "header") != "no";
    first_ = true;
    return status;
  }

  relance_status begin_dataset(const relance_dataset& dataset) override {
    std::string line = first_ ? "" : "\n";
    first_ = false;
    if (header_) {
      for (std::size_t i = 0; i < dataset.column_count; ++i) {
        if (i > 0) line += '\t';
        append_escaped(line, relance::view(relance_column_at(&dataset, i)->name));
      }
      line += '\n';
    }
    write(line);  // throws, and the export fails, when the client went away
    return RELANCE_OK;
  }

  // One call per row: the row is written at once, so memory stays flat for any export size.
  relance_status write_row(const relance_row& row) override {
    std::string line;
    for (std::size_t i = 0; i < row.count; ++i) {
      if (i > 0) line += '\t';
      append_value(line, row.values[i]);
    }
    line += '\n';
    write(line);
    return RELANCE_OK;
  }

  // Nothing is buffered: a complete export is already written, a failed one has nothing to
  // drop (the daemon discards the partial file).
  relance_status finish(bool /*complete*/) override { return RELANCE_OK; }

 private:
  bool header_ = true;
  bool first_ = true;
};

}  // namespace

// The one exported symbol: id, name, vendor, the plugin's own version.
RELANCE_PLUGIN(Journal, "org.relance.example.cpp-journal", "Event journal and TSV export (C++ example)",
               "Relance", "1.0.0")
