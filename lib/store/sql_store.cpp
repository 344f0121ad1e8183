// Opening, migrating and backing up the store, and the helpers its files share (sql_store.hpp).
#include "store/sql_store.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "store/drivers.hpp"
#include "store/migrations.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records it stores

Result<int> SqlStore::migrate() {
  auto c = pool_->write();
  RENKEI_CHECK(
      c->exec_script("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  int now = 0;
  for (const Migration& m : migrations()) {
    Transaction tx(*c);
    RENKEI_CHECK(tx.begin());
    // Several servers may start at once on one PostgreSQL: one migrates, the others wait here
    // and then find the work done. (SQLite: BEGIN IMMEDIATE has the same effect.)
    if (pg()) RENKEI_CHECK(c->query("SELECT pg_advisory_xact_lock(7226458765)"));
    RENKEI_TRY(current, version_locked(*c, pg()));
    now = current;
    if (m.version <= current) continue;
    RENKEI_CHECK(c->exec_script(pg() ? m.postgres : m.sqlite));
    RENKEI_CHECK(
        c->query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                 {m.version, m.name, now_rfc3339()}));
    RENKEI_CHECK(tx.commit());
    now = m.version;
  }
  return now;
}

Result<int> SqlStore::schema_version() {
  auto c = pool_->read();
  return version_locked(*c, pg());
}

Result<void> SqlStore::backup_to(const std::string& path) {
  // The writer: no write can be half-way through the copy.
  auto c = pool_->write();
  return c->backup_to(path);
}

Result<int> SqlStore::version_locked(sql::Connection& c, bool pg) {
  RENKEI_TRY(exists, c.query(pg ? "SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL"
                                : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                                  "'schema_migrations'"));
  if (exists.empty()) return 0;  // a new, empty database
  RENKEI_TRY(rows, c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return rows.next() ? static_cast<int>(rows.int64(0)) : 0;
}

Result<void> SqlStore::set_search_text(sql::Connection& c, std::int64_t id,
                                       const std::string& text) {
  if (pg()) {
    RENKEI_CHECK(c.query("UPDATE submissions SET search_text = $1 WHERE id = $2", {text, id}));
    return {};
  }
  RENKEI_CHECK(c.query("DELETE FROM submissions_fts WHERE rowid = $1", {id}));
  RENKEI_CHECK(c.query("INSERT INTO submissions_fts (rowid, text) VALUES ($1, $2)", {id, text}));
  return {};
}

Result<void> SqlStore::release_claim(sql::Connection& c, std::int64_t id) {
  if (pg()) RENKEI_CHECK(c.query("SELECT pg_advisory_unlock($1)", {id}));
  return {};
}

Result<void> SqlStore::validate(const Organization& org) {
  if (org.data.name.empty() || org.data.name.size() > kMaxNameBytes)
    return make_error(Errc::kInvalidArgument, "an organisation needs a name (1 to 256 bytes)", "");
  if (!utf8::is_valid(org.data.name) || org.data.name.find('\0') != std::string::npos)
    return make_error(Errc::kInvalidArgument, "an organisation's name must be UTF-8 text", "");
  for (const auto* list : {&org.data.domains, &org.data.partner_domains})
    for (const auto& d : *list)
      if (normalize_domain(d).empty())
        return make_error(
            Errc::kInvalidArgument, "\"" + clean_text(d.substr(0, 100)) + "\" is not a domain name",
            "write a bare domain such as example.co.jp (no scheme, path, '@' or spaces)");
  return {};
}

Result<void> SqlStore::write_registry_data(sql::Connection& c, std::int64_t org_id,
                                           const registry::Organization& o) {
  for (const auto& [list, kind] :
       {std::pair{&o.domains, "own"}, std::pair{&o.partner_domains, "partner"}})
    for (const auto& d : *list)
      RENKEI_CHECK(
          c.query("INSERT INTO organization_domains (org_id, domain, kind) VALUES ($1, $2, $3) "
                  "ON CONFLICT DO NOTHING",
                  {org_id, normalize_domain(d), kind}));
  for (const auto& v : o.vips) {
    RENKEI_TRY(vip,
               c.query("INSERT INTO vips (org_id, name, name_ja, title) VALUES ($1, $2, $3, $4) "
                       "RETURNING id",
                       {org_id, clean_text(v.name), clean_text(v.name_ja), clean_text(v.title)}));
    vip.next();
    const std::int64_t vip_id = vip.int64(0);
    for (const auto& a : v.addresses) {
      const std::string lower = util::ascii_lower(clean_text(a));
      RENKEI_CHECK(c.query(
          "INSERT INTO vip_addresses (vip_id, address) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          {vip_id, lower}));
    }
  }
  return {};
}

Result<void> SqlStore::bump_registry_version(sql::Connection& c) {
  RENKEI_CHECK(c.query("UPDATE registry_version SET version = version + 1 WHERE id = 1"));
  return {};
}

Result<std::vector<Organization>> SqlStore::load_organizations(sql::Connection& c,
                                                               std::int64_t only) {
  std::vector<Organization> out;
  RENKEI_TRY(o, c.query("SELECT id, name, name_ja, industry, is_hub FROM organizations WHERE "
                        "($1 = 0 OR id = $1) ORDER BY id",
                        {only}));
  while (o.next()) {
    Organization org;
    org.id = o.int64(0);
    org.data.name = o.text(1);
    org.data.name_ja = o.text(2);
    org.data.industry = o.text(3);
    org.is_hub = o.int64(4) != 0;
    out.push_back(std::move(org));
  }
  auto find = [&](std::int64_t id) -> Organization* {
    auto it = std::lower_bound(out.begin(), out.end(), id,
                               [](const Organization& a, std::int64_t v) { return a.id < v; });
    return it != out.end() && it->id == id ? &*it : nullptr;
  };
  RENKEI_TRY(d, c.query("SELECT org_id, domain, kind FROM organization_domains WHERE ($1 = 0 "
                        "OR org_id = $1) ORDER BY org_id, domain",
                        {only}));
  while (d.next())
    if (Organization* org = find(d.int64(0)))
      (d.text(2) == "own" ? org->data.domains : org->data.partner_domains).push_back(d.text(1));
  RENKEI_TRY(
      v,
      c.query(
          "SELECT v.org_id, v.id, v.name, v.name_ja, v.title, COALESCE(a.address, '') FROM vips "
          "v LEFT JOIN vip_addresses a "
          "ON a.vip_id = v.id WHERE ($1 = 0 OR v.org_id = $1) ORDER BY v.org_id, v.id, a.address",
          {only}));
  std::int64_t last_vip = 0;
  while (v.next()) {
    Organization* org = find(v.int64(0));
    if (org == nullptr) continue;
    if (v.int64(1) != last_vip) {
      org->data.vips.push_back({v.text(2), v.text(3), v.text(4), {}});
      last_vip = v.int64(1);
    }
    if (!v.text(5).empty()) org->data.vips.back().addresses.push_back(v.text(5));
  }
  return out;
}

User SqlStore::read_user(const Rows& r, int c) {
  User u;
  u.id = r.int64(c);
  u.org_id = r.opt_int64(c + 1);
  u.login = r.text(c + 2);
  u.display_name = r.text(c + 3);
  u.role = role_from_id(r.text(c + 4)).value_or(Role::kReader);
  u.disabled = r.int64(c + 5) != 0;
  return u;
}

Submission SqlStore::read_submission(Rows& r) {
  Submission s;
  s.id = r.int64(0);
  s.org_id = r.opt_int64(1);
  s.external_reporter = r.text(2);
  s.submitted_by = r.opt_int64(3);
  s.kind = kind_from_id(r.text(4)).value_or(SubmissionKind::kEmail);
  s.channel = r.text(5);
  s.disclosure = disclosure_from_id(r.text(6)).value_or(Disclosure::kNotShared);
  s.consultation_category = r.text(7);
  s.free_text = r.take(8);
  s.artefact_sha256 = r.text(9);
  s.artefact_size = r.int64(10);
  s.status = status_from_id(r.text(11)).value_or(Status::kQueued);
  s.submitted_at = r.text(12);
  s.analysed_at = r.text(13);
  s.verdict_class = r.text(14);
  s.subject = r.take(15);
  s.error = r.take(16);
  return s;
}

// ---- Opening ----

std::string sqlite_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "renkei.db").string();
}

Result<std::unique_ptr<Store>> open_sqlite(const std::string& data_dir, unsigned connections) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return make_error(Errc::kIo,
                      "cannot create the data directory " + data_dir + ": " + ec.message(),
                      "check the path and permissions");
  const std::string path = sqlite_path(data_dir);
  RENKEI_TRY(writer, sqlite::connect(path, /*writer=*/true));
  std::vector<std::unique_ptr<sql::Connection>> readers;
  for (unsigned i = 1; i < connections; ++i) {
    RENKEI_TRY(reader, sqlite::connect(path, /*writer=*/false));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(
      std::make_unique<Pool>(std::move(writer), std::move(readers), /*writes_on_dedicated=*/true)));
}

Result<std::unique_ptr<Store>> open_postgres(const std::string& conninfo, unsigned connections) {
  // With more than one connection, one is kept for the analysis queue's claims (pool.hpp).
  std::unique_ptr<sql::Connection> claims;
  if (connections > 1) {
    RENKEI_TRY(c, pg::connect(conninfo));
    claims = std::move(c);
  }
  std::vector<std::unique_ptr<sql::Connection>> shared;
  for (unsigned i = connections > 1 ? 1 : 0; i < std::max(connections, 1u); ++i) {
    RENKEI_TRY(c, pg::connect(conninfo));
    shared.push_back(std::move(c));
  }
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(
      std::make_unique<Pool>(std::move(claims), std::move(shared), /*writes_on_dedicated=*/false)));
}

Result<std::unique_ptr<Store>> open_store(const StoreConfig& config) {
  if (config.database.empty()) return open_sqlite(config.data_dir, config.connections);
  return open_postgres(config.database, config.connections);
}

Result<void> restore_sqlite(const std::string& data_dir, const std::string& backup_path) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  return sqlite::restore(sqlite_path(data_dir), backup_path);
}

}  // namespace renkei::store
