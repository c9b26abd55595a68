// export_driver: runs one exporter plugin over datasets described in a JSON file and writes
// the bytes it produces, so that an exporter can be read back by real readers (Python's
// csv, vobject, icalendar, openpyxl) without a daemon. It is a host, like the daemon's:
// it loads the .so with dlopen, finds relance_plugin_entry_v1, creates an instance and
// drives relance.exporter/1 (open, begin_dataset, write_row, finish).
//
//   export_driver PLUGIN.so INPUT.json OUTPUT
//
// INPUT.json:
//   {"options": {"delimiter": ";"}, "locale": "fr", "time_zone": "Europe/Paris",
//    "datasets": [{"name": "contacts",
//                  "columns": [{"name": "id", "kind": "integer"},
//                              {"name": "first_name", "kind": "text", "personal": true}, ...],
//                  "rows": [[1, "Zoé", ...], ...]}]}
// Kinds: integer, real, boolean, text, date ("2026-03-09"), instant ("...Z"), money
// ({"minor": 123456789, "scale": 2, "currency": "EUR"}), list (a JSON array of strings).
// null is a null value. Exit 0 when the export completed, 1 with the plugin's error if not.
#include <boost/json.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "plugin_entry.hpp"
#include "relance/relance.h"

namespace json = boost::json;

namespace {

relance_str str(const std::string& s) { return relance_str{s.data(), s.size()}; }

int32_t kind_of(const std::string& k) {
  if (k == "integer") return RELANCE_VALUE_INTEGER;
  if (k == "real") return RELANCE_VALUE_REAL;
  if (k == "boolean") return RELANCE_VALUE_BOOLEAN;
  if (k == "date") return RELANCE_VALUE_DATE;
  if (k == "instant") return RELANCE_VALUE_INSTANT;
  if (k == "money") return RELANCE_VALUE_MONEY;
  if (k == "list") return RELANCE_VALUE_LIST;
  return RELANCE_VALUE_TEXT;
}

// Milliseconds since the epoch of "YYYY-MM-DDTHH:MM:SS(.mmm)Z".
int64_t instant_ms(const std::string& t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  std::sscanf(t.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &y, &mo, &d, &h, &mi, &s, &ms);
  const int yy = y - (mo <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

struct Output {
  std::ofstream file;
};

relance_status write_out(void* context, const void* data, size_t size) {
  auto* o = static_cast<Output*>(context);
  o->file.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return o->file ? RELANCE_OK : RELANCE_FATAL;
}

const void* no_service(const relance_host*, const char*) { return nullptr; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: export_driver PLUGIN.so INPUT.json OUTPUT\n";
    return 2;
  }
  const relance_plugin_entry* entry = relance::test::load_plugin_entry(argv[1]);
  if (!entry) return 1;
  std::ifstream in(argv[2]);
  std::stringstream text;
  text << in.rdbuf();
  const json::value input = json::parse(text.str());

  relance_host host{sizeof(relance_host), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH, nullptr, &no_service};
  if (entry->init && entry->init(&host) != RELANCE_OK) {
    std::cerr << "init failed\n";
    return 1;
  }
  relance_instance* instance = nullptr;
  if (entry->create_instance(&host, &instance) != RELANCE_OK) {
    std::cerr << "create_instance failed\n";
    return 1;
  }
  auto* exporter = static_cast<const relance_exporter_v1*>(entry->get_interface(instance, RELANCE_EXPORTER_V1));
  if (!exporter) {
    std::cerr << "the plugin offers no " << RELANCE_EXPORTER_V1 << "\n";
    return 1;
  }
  auto fail = [&](const char* step) {
    const relance_str e = entry->last_error(instance);
    std::cerr << step << " failed: " << std::string(e.data ? e.data : "", e.size) << "\n";
    exporter->finish(instance, 0);
    entry->destroy_instance(instance);
    return 1;
  };

  Output out;
  out.file.open(argv[3], std::ios::binary);
  const relance_byte_sink sink{&out, &write_out};
  const std::string options = input.as_object().contains("options") ? json::serialize(input.at("options")) : "{}";
  const std::string locale = input.as_object().contains("locale") ? std::string(input.at("locale").as_string()) : "en";
  const std::string tz = input.as_object().contains("time_zone") ? std::string(input.at("time_zone").as_string()) : "UTC";
  const relance_export_request request{sizeof(relance_export_request), str(options), str(locale), str(tz), &sink,
                                       input.at("datasets").as_array().size()};
  if (exporter->open(instance, &request) != RELANCE_OK) return fail("open");

  for (const auto& d : input.at("datasets").as_array()) {
    const std::string name(d.at("name").as_string());
    std::vector<std::string> names;
    std::vector<relance_column> columns;
    for (const auto& c : d.at("columns").as_array()) names.emplace_back(c.at("name").as_string());
    std::size_t i = 0;
    for (const auto& c : d.at("columns").as_array()) {
      const bool personal = c.as_object().contains("personal") && c.at("personal").as_bool();
      columns.push_back(relance_column{kind_of(std::string(c.at("kind").as_string())),
                                       personal ? RELANCE_COLUMN_PERSONAL : 0u, str(names[i++])});
    }
    const relance_dataset dataset{sizeof(relance_dataset), str(name), columns.size(), sizeof(relance_column), columns.data()};
    if (exporter->begin_dataset(instance, &dataset) != RELANCE_OK) return fail("begin_dataset");
    for (const auto& r : d.at("rows").as_array()) {
      std::vector<std::string> texts(columns.size());
      std::vector<relance_value> values(columns.size());
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const json::value& v = r.as_array().at(c);
        relance_value& out_value = values[c];
        out_value = relance_value{};
        if (v.is_null()) continue;
        out_value.kind = columns[c].kind;
        switch (columns[c].kind) {
          case RELANCE_VALUE_INTEGER: out_value.integer = v.as_int64(); break;
          case RELANCE_VALUE_BOOLEAN: out_value.integer = v.as_bool() ? 1 : 0; break;
          case RELANCE_VALUE_REAL: out_value.real = v.to_number<double>(); break;
          case RELANCE_VALUE_MONEY:
            out_value.integer = v.at("minor").as_int64();
            out_value.scale = static_cast<int32_t>(v.at("scale").as_int64());
            texts[c] = std::string(v.at("currency").as_string());
            out_value.text = str(texts[c]);
            break;
          case RELANCE_VALUE_LIST:
            texts[c] = json::serialize(v);
            out_value.text = str(texts[c]);
            break;
          case RELANCE_VALUE_INSTANT:
            texts[c] = std::string(v.as_string());
            out_value.integer = instant_ms(texts[c]);
            out_value.text = str(texts[c]);
            break;
          default:
            texts[c] = std::string(v.as_string());
            out_value.text = str(texts[c]);
        }
      }
      const relance_row row{sizeof(relance_row), values.size(), values.data()};
      if (exporter->write_row(instance, &row) != RELANCE_OK) return fail("write_row");
    }
  }
  if (exporter->finish(instance, 1) != RELANCE_OK) return fail("finish");
  entry->destroy_instance(instance);
  out.file.close();
  return out.file ? 0 : 1;
}
