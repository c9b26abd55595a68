#include "app/daemon.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "api/server.hpp"
#include "app/file_modes.hpp"
#include "app/logging.hpp"
#include "mail/smtp.hpp"
#include "auth/secret_box.hpp"
#include "auth/secrets.hpp"
#include "domain/problem.hpp"
#include "relance/storage/sqlite_store.hpp"
#include "services/account_service.hpp"
#include "services/org_directory.hpp"
#include "services/record_service.hpp"
#include "services/work_pool.hpp"
#include "followups/action_links.hpp"
#include "followups/followup_service.hpp"
#include "followups/scheduler.hpp"
#include "plugin_host/dispatcher.hpp"
#include "exports/export_service.hpp"
#include "reports/report_service.hpp"
#include "services/plugin_service.hpp"
#include "plugin_host/registry.hpp"
#include "plugin_host/secret_settings.hpp"

namespace relance::app {
namespace {

// One database serves both the records (Store) and the events (EventLog).
std::unique_ptr<storage::SqliteStore> open_store(Config& c) {
  c.storage.path = c.database_path();
  c.storage.on_corruption = [](const std::string& why) {
    spdlog::critical("the database failed its check ({}); writes are refused and /readyz "
                     "answers 503: stop the daemon and restore the latest backup", why);
  };
  return storage::open_sqlite_store(c.storage);
}

// The key that seals the plugins' secret settings, beside the database.
std::string secrets_key_path(const Config& c) {
  return (std::filesystem::path(c.database_path()).parent_path() / "secrets.key").string();
}

// The secrets key; created when missing, unless the database already holds secrets sealed
// under a key: a new key would not open them, and the operator must restore the old one.
auth::SecretBox open_secret_box(const Config& c, storage::EventLog& events) {
  const std::string path = secrets_key_path(c);
  if (auto box = auth::SecretBox::load(path)) return std::move(*box);
  for (const auto& r : events.plugin_instances()) {
    boost::system::error_code ec;
    const auto settings = boost::json::parse(r.settings, ec);
    if (!ec && settings.is_object() && plugin_host::holds_sealed_secrets(settings.get_object()))
      throw std::runtime_error(path + " is missing, and the database holds plugin secrets sealed under it: restore "
                               "it from the backup (relance backup says where it lies)");
  }
  spdlog::info("created {}: the key of the plugins' secret settings; back it up with the database", path);
  return auth::SecretBox::load_or_create(path);
}

// The key and settings of the signed links of reminders (the key is made on first use).
followups::ActionLinks action_links(const Config& c) {
  return followups::ActionLinks((std::filesystem::path(c.data_dir) / "link-signing.key").string(),
                                c.followups.public_url, std::chrono::hours(c.followups.link_hours));
}

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string ask_password() {
  std::cerr << "Password for the instance admin (10 characters at least): " << std::flush;
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string pw;
  std::getline(std::cin, pw);
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << "\n";
  return pw;
}

std::string url_of(const Config& c, std::uint16_t port) {
  const std::string host = c.server.host.find(':') != std::string::npos ? "[" + c.server.host + "]" : c.server.host;
  return "http://" + host + ":" + std::to_string(port);
}

// Set-password links point at the public URL (else the listen address) and go out through
// the [mail] setting when there is one. The mail password is the operator's secret: it is
// handed to libcurl and never logged; a failure is logged with the server's reply only.
services::PasswordLinkOptions password_links(const Config& c, const std::string& listen_url) {
  services::PasswordLinkOptions o;
  o.base_url = c.followups.public_url.empty() ? listen_url : c.followups.public_url;
  o.invite_validity = std::chrono::seconds(c.accounts.invite_link_seconds);
  o.reset_validity = std::chrono::seconds(c.accounts.reset_link_seconds);
  if (c.mail.configured())
    o.send = [settings = c.mail](const services::OutgoingMail& m) {
      try {
        mail::send(settings, mail::Message{m.to, m.subject, m.text});
        spdlog::info("mail: a set-password link sent to {}", m.to);
      } catch (const std::exception& e) {
        spdlog::warn("mail: {}", e.what());
        throw;
      }
    };
  return o;
}

void print_login(const Config& c, std::uint16_t port, const std::string& email, const std::string& password) {
  const std::string url = url_of(c, port);
  std::cout << "\nRelance is ready: " << url << "\n"
            << "Open it in a browser for the web app, and log in as the instance admin:\n"
            << "Instance admin: " << email << "\n";
  if (!password.empty())
    std::cout << "Password (shown once; change it with relance password change once logged in): " << password << "\n";
  std::cout << "Log in from this machine (the relance command is this program):\n"
            << "  relance login --url " << url << " --email " << email << "\n"
            << "then, for example: relance org add \"Acme\", relance user invite ana@acme.example --org 2 "
               "--role org-admin, relance whoami.\n"
            << "API description: " << url << "/api/v1/openapi.json\n"
            << std::endl;
}

}  // namespace

namespace {

using FillInstance = std::function<void(storage::Store&, services::OrgDirectory&, services::AccountService&)>;

// A new instance in the data directory: the database, the region and the instance admin
// (`relance init`), then `fill` (`relance demo`) before the database is closed.
int create_instance(Config& c, const std::string& command, const std::string& admin_email,
                    const std::function<std::string()>& password, const FillInstance& fill) {
  keep_files_private();
  std::filesystem::create_directories(c.data_dir);
  setup_logging(c);
  auth::init_crypto();
  auto store = open_store(c);
  services::OrgDirectory orgs(*store);
  services::AccountService accounts(*store, orgs, c.followups.scheduler.default_time_zone, c.accounts.default_locale);
  try {
    if (!accounts.bootstrap(admin_email, password())) {
      std::cerr << command << ": " << c.data_dir << " already has users; nothing changed\n";
      return 1;
    }
  } catch (const Problem& p) {
    std::cerr << command << ": " << p.detail() << "\n";
    return 2;
  }
  open_secret_box(c, *store);
  if (fill) fill(*store, orgs, accounts);
  store->close();
  return 0;
}

}  // namespace

int init(Config c, const std::string& admin_email, std::string password) {
  const int code = create_instance(c, "relance init", admin_email, [&] {
    if (password.empty()) password = env_or("RELANCE_ADMIN_PASSWORD", "");
    if (password.empty()) password = ask_password();
    return password;
  }, {});
  if (code == 0)
    std::cout << "Initialised " << c.data_dir << " (schema version " << storage::latest_schema_version()
              << "); instance admin " << admin_email << "\n";
  return code;
}

int run_demo(Config c, demo::Options options) {
  if (std::filesystem::exists(c.database_path())) {
    std::cerr << "relance demo: " << c.data_dir << " already holds a database (" << c.database_path()
              << "); the demo fills a fresh data directory only: give another --data-dir\n";
    return 2;
  }
  // A large demo writes faster than the checkpointer copies the log back; its TRUNCATE holds
  // writers off while it copies, which on a loaded machine outlasted the 5 s a request may
  // wait ("database is locked" at 70% of a million contacts). Nobody waits on an offline
  // load: it waits for the copy instead of failing.
  c.storage.busy_timeout_ms = std::max(c.storage.busy_timeout_ms, 300'000);
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [started] {
    char s[32];
    std::snprintf(s, sizeof s, "%.1f s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return std::string(s);
  };
  options.progress = [&](const std::string& line) { std::cerr << "[" << elapsed() << "] " << line << std::endl; };
  const demo::Login admin = demo::admin_login(options);
  demo::Summary m;
  const int code = create_instance(
      c, "relance demo", admin.email, [&] { return admin.password; },
      [&](storage::Store& store, services::OrgDirectory& orgs, services::AccountService& accounts) {
        // The scheduler serve runs, without digests (they go to people: a demo sends none).
        followups::ActionLinks links = action_links(c);
        links.set_base_url(c.followups.public_url.empty() ? url_of(c, c.server.port) : c.followups.public_url);
        followups::SchedulerOptions quiet = c.followups.scheduler;
        quiet.default_locale = c.accounts.default_locale;
        quiet.digest_minutes = -1;
        quiet.region_digest_minutes = -1;
        quiet.batch = 5000;  // fewer passes over the follow-ups already due
        followups::FollowupScheduler scheduler(store, links, quiet);
        options.scheduler_tick = [&](std::chrono::system_clock::time_point at) { scheduler.tick(at); };
        m = demo::fill(store, orgs, accounts, admin, options);
      });
  if (code != 0) return code;
  const std::string url = url_of(c, c.server.port);
  std::cout << "Demo mission written to " << c.data_dir << " in " << elapsed() << " (schema version "
            << storage::latest_schema_version() << "):\n"
            << "  " << m.startups << " start-ups, " << m.users << " users, " << m.events << " events, "
            << m.exchange_rates << " exchange rates, " << m.companies << " companies\n"
            << "  " << m.contacts << " contacts, " << m.leads << " leads (" << m.stage_changes << " stage changes), "
            << m.activities << " activities, " << m.followups << " follow-ups, " << m.outcomes << " outcomes\n\n"
            << "Logins (passwords " << (options.seeded ? "derived from --seed " + std::to_string(options.seed)
                                                      : std::string("random, made for this run"))
            << "):\n";
  for (const demo::Login& l : m.logins) {
    // Aligned on characters, not bytes ("Photonéa").
    std::size_t width = 0;
    for (char ch : l.who) width += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    std::cout << "  " << l.who << std::string(width < 26 ? 26 - width : 1, ' ') << l.email
              << "  password: " << l.password << "\n";
  }
  std::cout << "\nServe it:  relance serve --data-dir " << c.data_dir << "\n"
            << "Then open: " << url << "/  (API: " << url << "/api/v1/openapi.json)\n"
            << "Or log in from the command line: relance login --url " << url << " --email "
            << m.logins.front().email << "\n"
            << std::flush;
  return 0;
}

int serve(Config c) {
  const auto started = std::chrono::steady_clock::now();
  keep_files_private();
  std::filesystem::create_directories(c.data_dir);
  setup_logging(c);
  auth::init_crypto();
  auto store = open_store(c);
  warn_loose_modes(c);
  services::OrgDirectory orgs(*store);
  services::RecordService records(*store, orgs);
  services::ContactMergeService merges(*store, orgs, records);
  services::ShareRequestService share_requests(*store, orgs, records);
  services::AttachmentService attachments(*store, records, c.api.max_attachment_bytes);
  services::AccountService accounts(*store, orgs, c.followups.scheduler.default_time_zone, c.accounts.default_locale);

  // First run: an instance admin, with a password from the environment or a new one.
  std::string first_email, first_password;
  if (store->count(storage::entities::users, storage::Scope::everything()) == 0) {
    first_email = env_or("RELANCE_ADMIN_EMAIL", "admin@relance.local");
    first_password = env_or("RELANCE_ADMIN_PASSWORD", "");
    const bool generated = first_password.empty();
    if (generated) first_password = auth::new_token().substr(3, 20);
    accounts.bootstrap(first_email, first_password);
    if (!generated) first_password.clear();  // the operator chose it; do not print it
  }

  // Plugins: loaded before serving, so that the API lists them from the first request;
  // delivery starts once the configured instances are in the database.
  const auth::SecretBox secrets = open_secret_box(c, *store);
  storage::EventLog& event_log = *store;
  plugin_host::HostEnv plugin_env{*store, event_log, [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
  }, c.outbound, &secrets, [](const storage::Entity& e, std::int64_t org_id, const plugin_host::QueryFilters& filters) {
    // A plugin's query reads its organisation's rows with the filters of the lists.
    return services::storage_query(api::parse_list_request(e, filters), storage::Scope::org(org_id));
  }, (std::filesystem::path(c.data_dir) / "plugin-markers").string(), c.plugins.limits};
  plugin_env.isolation.work_dir = (std::filesystem::path(c.data_dir) / "plugin-work").string();
  plugin_host::PluginRegistry registry(plugin_env);
  registry.load(c.plugin_directories(), c.isolation_policy());
  plugin_host::Dispatcher dispatcher(plugin_env, registry, c.plugins.delivery);
  services::PluginService plugin_service(*store, event_log, registry, dispatcher, secrets);
  exports::ExportService exports(plugin_env, records, registry, c.plugins.export_threads,
                                 c.plugins.delivery.call_budget);
  plugin_service.seal_clear_settings();
  plugin_service.apply_configured(c.plugins.instances);
  dispatcher.start();

  // Follow-ups: signed email links (their base URL is known once the server listens), the
  // views, and the scheduler that turns due instants into events.
  followups::ActionLinks links = action_links(c);
  followups::FollowupService followup_service(*store, records, links, c.followups.scheduler.default_time_zone);
  followups::SchedulerOptions scheduler_options = c.followups.scheduler;
  scheduler_options.default_locale = c.accounts.default_locale;
  followups::FollowupScheduler scheduler(*store, links, scheduler_options);

  api::Metrics metrics;
  services::WorkPool slow_work(2);
  api::Router router([&](std::string_view token) { return accounts.authenticate(token); },
                     [&](const std::string& label, int status, double s) {
                       metrics.observe(label, status, s);
                     });
  router.set_public_url(c.followups.public_url);
  const auto web_app = api::WebApp::load(c.web_root());
  if (web_app->built())
    spdlog::info("web app: {} files from {}", web_app->file_count(), web_app->root().string());
  else
    spdlog::warn("no web app in {} (built without Node.js, or web.root is wrong): / answers a page that says so",
                 web_app->root().string());
  std::unique_ptr<api::HttpServer> server;
  imports::ImportService import_service(
      *store, orgs, imports::ImportServiceOptions{(std::filesystem::path(c.data_dir) / "imports").string(),
                                                  c.imports.max_bytes, c.imports.batch, {},
                                                  std::chrono::seconds(c.imports.report_retention_seconds)});
  reports::ReportService report_service(*store, orgs, exports, plugin_env);
  api::add_routes(router, api::ApiServices{*store, records, merges, share_requests, accounts, plugin_service, exports, followup_service, metrics, slow_work, c.api,
                                           [&] { return server && server->draining(); }, &import_service,
                                           &report_service, web_app, &attachments});
  c.server.large_bodies.emplace_back("/api/v1/imports", static_cast<std::size_t>(c.imports.max_bytes));
  c.server.large_bodies.emplace_back("/api/v1/contacts/{id}/attachments", c.api.max_attachment_bytes);
  server = std::make_unique<api::HttpServer>(c.server, router, metrics);
  if (c.followups.public_url.empty()) links.set_base_url(url_of(c, server->port()));
  accounts.set_password_links(password_links(c, url_of(c, server->port())));
  scheduler.start();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("serving {} on {} (started in {} ms)", c.database_path(), url_of(c, server->port()), ms);
  if (!first_email.empty()) print_login(c, server->port(), first_email, first_password);
  server->run();
  spdlog::info("requests drained; stopping the scheduler and event delivery");
  import_service.stop();
  scheduler.stop();
  dispatcher.stop();
  registry.shutdown();
  spdlog::info("closing the database");
  store->close();
  spdlog::info("stopped cleanly");
  spdlog::shutdown();
  return 0;
}

int migrate(const Config& c) {
  keep_files_private();
  const auto r = storage::migrate_sqlite(c.database_path());
  if (r.from_version == r.to_version)
    std::cout << "schema is up to date (version " << r.to_version << ")\n";
  else
    std::cout << "migrated schema from version " << r.from_version << " to " << r.to_version << "\n";
  return 0;
}

int backup(Config c, const std::string& output) {
  if (!std::filesystem::exists(c.database_path())) {
    std::cerr << "relance backup: no database in " << c.data_dir << "\n";
    return 2;
  }
  keep_files_private();  // the backup holds everything the database does
  c.log.file.clear();
  setup_logging(c);
  auto store = open_store(c);
  store->backup(output);
  store->close();
  std::cout << "backup written and verified (integrity_check ok): " << output << "\n"
            << "The plugins' secret settings in it are sealed with " << secrets_key_path(c)
            << ": keep a copy of that file too (apart from the backup), or they are lost with it\n";
  return 0;
}

}  // namespace relance::app
