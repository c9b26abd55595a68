#include "exports/table_export.hpp"

#include "domain/time.hpp"

namespace relance::exports {

TableFile export_tables(plugin_host::HostEnv& env, const plugin_host::ExporterFormat& format,
                        const auth::Principal& p, const std::optional<std::string>& locale,
                        std::string_view stem, const std::vector<Table>& tables) {
  plugin_host::ExportSettings settings;
  if (auto user = env.store.get(storage::entities::users, storage::Scope::everything(), p.user_id)) {
    if (const std::string* l = user->text(storage::entities::users, "locale")) settings.locale = *l;
    if (const std::string* z = user->text(storage::entities::users, "time_zone")) settings.time_zone = *z;
  }
  if (locale) settings.locale = *locale;
  settings.datasets = tables.size();

  TableFile file;
  // No dataset is granted to the plugin's queries: the tables are all it gets.
  plugin_host::ExporterSession session(env, format, p.org_id, {});
  session.open(settings, [&file](std::string_view bytes) {
    file.bytes.append(bytes);
    return true;
  });
  storage::Row row;
  for (const Table& t : tables) {
    const storage::Entity table{t.name, t.name, t.columns, storage::Sharing::never, false};
    session.begin_table(table);
    for (const auto& values : t.rows) {
      row.values = values;
      session.write_row(row, false);
    }
  }
  session.finish();
  file.content_type = format.mime_type;
  if (file.content_type.starts_with("text/") && file.content_type.find("charset") == std::string::npos)
    file.content_type += "; charset=utf-8";
  file.filename = std::string(stem) + "-" + domain::now_instant().substr(0, 10) + "." + format.extension;
  return file;
}

}  // namespace relance::exports
