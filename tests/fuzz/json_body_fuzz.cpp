// Fuzz target: the JSON body of a create or an update, as the API reads it
// (api::parse_json_object: media type, UTF-8, depth limit, an object) and then validates it
// against each entity's field declarations (domain::apply_body, domain/fields.cpp). A body
// is refused with a Problem, or becomes a row whose JSON form and audit entry are valid
// JSON in UTF-8; applying it again as an update, or changing the row's currency (which
// rescales its amounts), is accepted or refused with a Problem.
#include <boost/json/parse.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "api/routes.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "fuzz_check.hpp"

namespace {
using namespace relance;

void expect_json(std::string_view what, const std::string& text) {
  fuzz::expect_utf8(what, text);
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  if (ec) fuzz::fail(what, "not valid JSON: " + text);
}

void update(const storage::Entity& e, const boost::json::object& body, storage::Row row,
            const domain::FieldContext& ctx) {
  try {
    const storage::Row before = row;
    const auto changed = domain::apply_body(e, body, row, false, ctx);
    expect_json("updated row", domain::row_json(e, row, false));
    expect_json("audit entry", domain::audit_changes(e, &before, &row, changed));
  } catch (const Problem& p) {
    fuzz::expect_utf8("refusal", p.detail());
  }
}

// An amount as the API shows it, without the zeros its currency's decimals add: "1500.000"
// in dinars and "1500" in yen are the same amount.
std::string amount_text(const storage::Entity& e, const storage::Row& row, std::size_t i) {
  std::string text;
  domain::append_json(text, e.fields[i], row.values[i], domain::row_minor_units(e, row));
  if (text.size() > 1 && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

// A new currency without amounts keeps each amount's value (its minor units change).
void change_currency(const storage::Entity& e, const storage::Row& row, const char* currency,
                     const domain::FieldContext& ctx) {
  storage::Row changed_row = row;
  try {
    domain::apply_body(e, boost::json::object{{"currency", currency}}, changed_row, false, ctx);
  } catch (const Problem& p) {
    fuzz::expect_utf8("refusal", p.detail());
    return;
  }
  for (std::size_t i = 0; i < e.fields.size(); ++i)
    if (e.fields[i].kind == storage::FieldKind::money &&
        amount_text(e, row, i) != amount_text(e, changed_row, i))
      fuzz::fail("currency change", amount_text(e, row, i) + " became " + amount_text(e, changed_row, i));
}

void apply_to(const storage::Entity& e, const boost::json::object& body,
              const domain::FieldContext& ctx) {
  storage::Row row;
  try {
    const auto changed = domain::apply_body(e, body, row, true, ctx);
    expect_json("row", domain::row_json(e, row, false));
    expect_json("redacted row", domain::row_json(e, row, true));
    expect_json("audit entry", domain::audit_changes(e, nullptr, &row, changed));
  } catch (const Problem& p) {
    fuzz::expect_utf8("refusal", p.detail());
    return;
  }
  update(e, body, row, ctx);
  if (!e.field("currency")) return;
  for (const char* currency : {"JPY", "EUR", "KWD"})  // 0, 2 and 3 decimals
    change_currency(e, row, currency, ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> stages(services::default_pipeline_stages().begin(),
                                               services::default_pipeline_stages().end());
  api::Request request;
  request.content_type = "application/json";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  boost::json::object body;
  try {
    body = api::parse_json_object(request, api::ApiLimits{});
  } catch (const Problem& p) {
    fuzz::expect_utf8("refusal", p.detail());
    return 0;
  }
  const domain::FieldContext ctx{"FR", stages, 2};
  for (const storage::Entity* e : storage::all_entities()) apply_to(*e, body, ctx);
  return 0;
}
