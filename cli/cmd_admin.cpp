// renkei admin migrate | bootstrap | demo | backup | restore — hub administration on the store
// itself (the SQLite data directory, or the PostgreSQL database of --database); each action is
// written to the audit log with "cli" as its origin. The other admin subcommands (orgs, users,
// tokens, sigs, liaison, categories) are clients of the hub's API: cmd_admin_api.cpp.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/auth.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "hub/demo.hpp"
#include "hub/server.hpp"
#include "store/store.hpp"

namespace renkei::cli {
namespace {

struct AdminOptions {
  std::string data_dir;
  std::string database;
  std::string format = "text";
  // bootstrap
  std::string login = "admin";
  std::string hub_name = "Information hub";
  std::string hub_name_ja = "情報ハブ";
  // backup / restore
  std::string file;
  // demo
  std::string registry;
  std::vector<std::string> mails;
};

// --data, else $RENKEI_DATA, else ./renkei-data.
std::string data_dir_of(const AdminOptions& opt) {
  if (!opt.data_dir.empty()) return opt.data_dir;
  if (const char* env = std::getenv("RENKEI_DATA"); env != nullptr && *env != '\0') return env;
  return "renkei-data";
}

// --database, else $RENKEI_DATABASE, else "" (the SQLite store in the data directory).
std::string database_of(const AdminOptions& opt) {
  if (!opt.database.empty()) return opt.database;
  if (const char* env = std::getenv("RENKEI_DATABASE"); env != nullptr && *env != '\0') return env;
  return {};
}

store::StoreConfig store_config(const AdminOptions& opt) {
  return {data_dir_of(opt), database_of(opt)};
}

// Where the data is, for messages (a PostgreSQL connection string without its password).
std::string where(const AdminOptions& opt) {
  const std::string db = database_of(opt);
  return db.empty() ? store::sqlite_path(data_dir_of(opt))
                    : "PostgreSQL " + hub::redact_database(db);
}

int report(const char* what, const Error& e) {
  std::cerr << "renkei admin " << what << ": " << e.to_string() << "\n";
  return exit_code_for(e.code);
}

// backup and restore copy the SQLite file; a PostgreSQL database has its own tools.
Result<void> sqlite_only(const AdminOptions& opt, const char* what) {
  if (database_of(opt).empty()) return {};
  return make_error(Errc::kUnsupported,
                    std::string("renkei admin ") + what +
                        " works on the SQLite store only, and this hub's data is in PostgreSQL",
                    "use PostgreSQL's own tools: pg_dump -Fc DATABASE > FILE to back up, "
                    "pg_restore -d DATABASE FILE to restore");
}

Result<std::unique_ptr<store::Store>> open_migrated(const AdminOptions& opt, int* version) {
  RENKEI_TRY(st, store::open_store(store_config(opt)));
  RENKEI_TRY(v, st->migrate());
  if (version) *version = v;
  return st;
}

int run_migrate(const AdminOptions& opt) {
  auto st = store::open_store(store_config(opt));
  if (!st) return report("migrate", st.error());
  const auto before = (*st)->schema_version();
  auto after = (*st)->migrate();
  if (!before || !after) return report("migrate", before ? after.error() : before.error());
  if (*after != *before)
    (void)(*st)->audit({0, "", std::nullopt, "schema.migrate", "schema:" + std::to_string(*after),
                        "cli", "from " + std::to_string(*before)});
  std::cout << "renkei admin migrate: " << where(opt) << " at schema version " << *after
            << (*after == *before ? " (already up to date)"
                                  : " (was " + std::to_string(*before) + ")")
            << "\n";
  return kExitOk;
}

int run_bootstrap(const AdminOptions& opt) {
  int version = 0;
  auto opened = open_migrated(opt, &version);
  if (!opened) return report("bootstrap", opened.error());
  store::Store& st = **opened;
  auto users = st.users();
  if (!users) return report("bootstrap", users.error());
  for (const auto& u : *users)
    if (u.role == model::Role::kHubAdmin)
      return report("bootstrap",
                    Error{Errc::kConflict, "this hub has an admin already (" + u.login + ")",
                          "bootstrap runs once per data directory; ask that admin for a token"});
  // The hub's own organisation (the operator of the instance), unless one exists.
  auto orgs = st.organizations();
  if (!orgs) return report("bootstrap", orgs.error());
  std::int64_t hub_id = 0;
  for (const auto& o : *orgs)
    if (o.is_hub) hub_id = o.id;
  if (hub_id == 0) {
    model::Organization hub;
    hub.is_hub = true;
    hub.data.name = opt.hub_name;
    hub.data.name_ja = opt.hub_name_ja;
    auto id = st.create_organization(hub);
    if (!id) return report("bootstrap", id.error());
    hub_id = *id;
  }
  const std::string password = auth::new_password();
  auto uid =
      st.create_user({hub_id, opt.login, "Hub administrator", model::Role::kHubAdmin, password});
  if (!uid) return report("bootstrap", uid.error());
  auto token = st.create_token(*uid, "bootstrap", {"admin"});
  if (!token) return report("bootstrap", token.error());
  (void)st.audit({0, "", *uid, "hub.bootstrap", "user:" + std::to_string(*uid), "cli",
                  "admin and first token created"});

  if (opt.format == "json") {
    nlohmann::json j = {{"data_dir", data_dir_of(opt)},
                        {"database", hub::redact_database(database_of(opt))},
                        {"schema_version", version},
                        {"login", opt.login},
                        {"password", password},
                        {"token", token->secret},
                        {"user_id", *uid},
                        {"organization_id", hub_id}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "renkei admin bootstrap: hub set up in " << where(opt) << " (schema version "
              << version << ")\n"
              << "  hub admin login : " << opt.login << "\n"
              << "  password        : " << password << "\n"
              << "  API token       : " << token->secret << "\n"
              << "Keep both now: they are not shown again (only their hashes are stored).\n"
              << "Use the token as 'Authorization: Bearer " << token->secret.substr(0, 6)
              << "…'.\n";
  }
  return kExitOk;
}

int run_backup(const AdminOptions& opt) {
  if (auto r = sqlite_only(opt, "backup"); !r) return report("backup", r.error());
  int version = 0;
  auto st = open_migrated(opt, &version);
  if (!st) return report("backup", st.error());
  if (auto r = (*st)->backup_to(opt.file); !r) return report("backup", r.error());
  (void)(*st)->audit({0, "", std::nullopt, "hub.backup", "file:" + opt.file, "cli", ""});
  std::cout << "renkei admin backup: " << data_dir_of(opt) << " copied to " << opt.file
            << " (schema version " << version << ")\n";
  return kExitOk;
}

int run_restore(const AdminOptions& opt) {
  if (auto r = sqlite_only(opt, "restore"); !r) return report("restore", r.error());
  if (auto r = store::restore_sqlite(data_dir_of(opt), opt.file); !r)
    return report("restore", r.error());
  auto st = store::open_store(store_config(opt));
  if (st) (void)(*st)->audit({0, "", std::nullopt, "hub.restore", "file:" + opt.file, "cli", ""});
  std::cout << "renkei admin restore: " << data_dir_of(opt) << " restored from " << opt.file
            << " (stop the hub before restoring; start it again now)\n";
  return kExitOk;
}

int run_demo(const AdminOptions& opt) {
  int version = 0;
  auto st = open_migrated(opt, &version);
  if (!st) return report("demo", st.error());
  auto r = hub::load_demo(**st, {opt.registry, opt.mails});
  if (!r) return report("demo", r.error());
  if (opt.format == "json") {
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& a : r->accounts)
      accounts.push_back(
          {{"login", a.login}, {"role", a.role}, {"password", a.password}, {"token", a.token}});
    std::cout << nlohmann::json({{"organizations", r->organizations},
                                 {"submissions", r->submissions},
                                 {"accounts", accounts}})
                     .dump()
              << "\n";
    return kExitOk;
  }
  std::cout << "renkei admin demo: " << r->organizations
            << " organisations in 13 SIGs, a liaison network, and " << r->submissions
            << " submissions (analysed when the hub runs) in " << where(opt) << "\n\n"
            << "Accounts (shown once; only hashes are stored):\n";
  for (const auto& a : r->accounts)
    std::cout << "  " << a.role << std::string(12 - std::min<std::size_t>(12, a.role.size()), ' ')
              << a.login << "\n"
              << "              password " << a.password << "\n              token    " << a.token
              << "\n";
  return kExitOk;
}

}  // namespace

void register_admin(CLI::App& app, std::function<int()>& run) {
  auto opt = std::make_shared<AdminOptions>();
  CLI::App* admin = app.add_subcommand("admin",
                                       "Hub administration: on the store (migrate, bootstrap, "
                                       "demo, backup, restore) and through the API (orgs, users, "
                                       "tokens, sigs, liaison, categories)");
  admin->require_subcommand(1);
  auto data = [&](CLI::App* c) {
    c->add_option("--data", opt->data_dir,
                  "Data directory of the hub (default: $RENKEI_DATA, else ./renkei-data)");
    c->add_option("--database", opt->database,
                  "PostgreSQL connection string (postgresql://…) instead of the SQLite store in "
                  "--data (env RENKEI_DATABASE)");
  };

  CLI::App* migrate =
      admin->add_subcommand("migrate", "Apply the schema migrations not yet applied");
  data(migrate);
  migrate->callback([&run, opt] { run = [opt] { return run_migrate(*opt); }; });

  CLI::App* bootstrap = admin->add_subcommand("bootstrap",
                                              "Set up a new hub without a browser: the hub "
                                              "organisation, the first hub admin and an API token");
  data(bootstrap);
  bootstrap->add_option("--login", opt->login, "Login of the first hub admin")
      ->capture_default_str();
  bootstrap->add_option("--hub-name", opt->hub_name, "Name of the hub organisation")
      ->capture_default_str();
  bootstrap->add_option("--hub-name-ja", opt->hub_name_ja, "Japanese name of the hub organisation")
      ->capture_default_str();
  bootstrap->add_option("--format", opt->format, "text, or json for scripts")
      ->check(CLI::IsMember({"text", "json"}));
  bootstrap->callback([&run, opt] { run = [opt] { return run_bootstrap(*opt); }; });

  CLI::App* demo =
      admin->add_subcommand("demo",
                            "Fill a new hub with the demo community: SIGs, organisations, a "
                            "liaison network, users of every role, submissions");
  data(demo);
  demo->add_option("--registry", opt->registry, "The seed organisations (SPEC 5 TOML)")
      ->check(CLI::ExistingFile);
  demo->add_option("--mails", opt->mails, "Directories with sample .eml files to submit")
      ->check(CLI::ExistingDirectory);
  demo->add_option("--format", opt->format, "text, or json for scripts")
      ->check(CLI::IsMember({"text", "json"}));
  demo->callback([&run, opt] { run = [opt] { return run_demo(*opt); }; });

  CLI::App* backup =
      admin->add_subcommand("backup", "Copy the database, consistently, while the hub runs");
  data(backup);
  backup->add_option("file", opt->file, "New file to write the copy to")->required();
  backup->callback([&run, opt] { run = [opt] { return run_backup(*opt); }; });

  CLI::App* restore =
      admin->add_subcommand("restore", "Replace the database by a backup (stop the hub first)");
  data(restore);
  restore->add_option("file", opt->file, "A file made by renkei admin backup")
      ->required()
      ->check(CLI::ExistingFile);
  restore->callback([&run, opt] { run = [opt] { return run_restore(*opt); }; });

  register_admin_api(*admin, run);
}

}  // namespace renkei::cli
