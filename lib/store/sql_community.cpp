#include "store/sql_store.hpp"

// The community: organisations and their registry data, SIGs and memberships, liaison networks,
// consultation categories.
#include <algorithm>

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records this file stores

Result<std::int64_t> SqlStore::create_organization(const Organization& org) {
  RENKEI_CHECK(validate(org));
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  auto ins = c->query(
      "INSERT INTO organizations (name, name_ja, industry, is_hub, created_at) VALUES ($1, $2, "
      "$3, $4, $5) RETURNING id",
      {org.data.name, org.data.name_ja, org.data.industry, org.is_hub ? 1 : 0, now_rfc3339()});
  if (!ins)
    return conflict_or(ins.error(),
                       "an organisation named \"" + org.data.name + "\" exists already",
                       "choose another name or update the existing organisation");
  ins->next();
  const std::int64_t id = ins->int64(0);
  RENKEI_CHECK(write_registry_data(*c, id, org.data));
  RENKEI_CHECK(bump_registry_version(*c));
  RENKEI_CHECK(tx.commit());
  return id;
}

Result<void> SqlStore::update_organization(const Organization& org) {
  RENKEI_CHECK(validate(org));
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  auto up = c->query(
      "UPDATE organizations SET name = $1, name_ja = $2, industry = $3, is_hub = $4 WHERE id = "
      "$5",
      {org.data.name, org.data.name_ja, org.data.industry, org.is_hub ? 1 : 0, org.id});
  if (!up)
    return conflict_or(up.error(), "an organisation named \"" + org.data.name + "\" exists already",
                       "choose another name");
  if (up->changed == 0) return not_found("organisation", org.id);
  for (const char* sql :
       {"DELETE FROM organization_domains WHERE org_id = $1", "DELETE FROM vips WHERE org_id = $1"})
    RENKEI_CHECK(c->query(sql, {org.id}));
  RENKEI_CHECK(write_registry_data(*c, org.id, org.data));
  RENKEI_CHECK(bump_registry_version(*c));
  return tx.commit();
}

Result<Organization> SqlStore::organization(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(all, load_organizations(*c, id));
  if (all.empty()) return not_found("organisation", id);
  return std::move(all.front());
}

Result<std::vector<Organization>> SqlStore::organizations() {
  auto c = pool_->read();
  return load_organizations(*c, 0);
}

Result<registry::Registry> SqlStore::registry() {
  RENKEI_TRY(orgs, organizations());
  std::vector<registry::Organization> data;
  data.reserve(orgs.size());
  for (auto& o : orgs) data.push_back(std::move(o.data));
  return registry::Registry(std::move(data));
}

Result<std::int64_t> SqlStore::registry_version() {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT version FROM registry_version WHERE id = 1"));
  return rows.next() ? rows.int64(0) : 0;
}

Result<std::int64_t> SqlStore::create_sig(std::string_view name, std::string_view name_ja) {
  if (name.empty() || name.size() > kMaxNameBytes)
    return make_error(Errc::kInvalidArgument, "a SIG needs a name (1 to 256 bytes)", "");
  auto c = pool_->write();
  auto ins =
      c->query("INSERT INTO sigs (name, name_ja) VALUES ($1, $2) RETURNING id", {name, name_ja});
  if (!ins)
    return conflict_or(ins.error(), "a SIG named \"" + std::string(name) + "\" exists already");
  ins->next();
  return ins->int64(0);
}

Result<std::vector<Sig>> SqlStore::sigs() {
  auto c = pool_->read();
  RENKEI_TRY(rows,
             c->query("SELECT s.id, s.name, s.name_ja, (SELECT COUNT(DISTINCT m.org_id) FROM "
                      "sig_memberships m "
                      "WHERE m.sig_id = s.id AND m.left_on IS NULL) FROM sigs s ORDER BY s.id"));
  std::vector<Sig> out;
  while (rows.next())
    out.push_back({rows.int64(0), rows.text(1), rows.text(2), static_cast<int>(rows.int64(3))});
  return out;
}

Result<Membership> SqlStore::end_membership(std::int64_t sig_id, std::int64_t org_id,
                                            std::string_view left_on) {
  if (!is_date(left_on))
    return make_error(Errc::kInvalidArgument, "left_on must be a date, YYYY-MM-DD", "");
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  RENKEI_TRY(open, c->query("SELECT joined_on FROM sig_memberships WHERE sig_id = $1 AND org_id "
                            "= $2 AND left_on IS NULL",
                            {sig_id, org_id}));
  if (!open.next())
    return make_error(Errc::kNotFound,
                      "organisation " + std::to_string(org_id) + " is not a member of SIG " +
                          std::to_string(sig_id) + " now",
                      "see GET /api/v1/organizations/" + std::to_string(org_id) + "/memberships");
  Membership m{sig_id, org_id, open.text(0), std::string(left_on)};
  if (m.left_on < m.joined_on)
    return make_error(Errc::kInvalidArgument,
                      "left_on is before the organisation joined (" + m.joined_on + ")", "");
  RENKEI_CHECK(
      c->query("UPDATE sig_memberships SET left_on = $1 WHERE sig_id = $2 AND org_id = $3 AND "
               "joined_on = $4",
               {m.left_on, sig_id, org_id, m.joined_on}));
  RENKEI_CHECK(tx.commit());
  return m;
}

Result<void> SqlStore::add_membership(const Membership& m) {
  if (!is_date(m.joined_on) ||
      (!m.left_on.empty() && (!is_date(m.left_on) || m.left_on < m.joined_on)))
    return make_error(Errc::kInvalidArgument,
                      "membership dates must be YYYY-MM-DD, and left_on not before joined_on", "");
  auto c = pool_->write();
  auto ins = c->query(
      "INSERT INTO sig_memberships (sig_id, org_id, joined_on, left_on) VALUES ($1, $2, $3, $4)",
      {m.sig_id, m.org_id, m.joined_on, Param::text_or_null(m.left_on)});
  if (!ins)
    return conflict_or(ins.error(),
                       "no such SIG or organisation, or this membership exists already");
  return {};
}

Result<std::vector<Membership>> SqlStore::memberships(std::int64_t org_id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT sig_id, org_id, joined_on, COALESCE(left_on, '') FROM "
                            "sig_memberships WHERE org_id = $1 "
                            "ORDER BY joined_on, sig_id",
                            {org_id}));
  std::vector<Membership> out;
  while (rows.next()) out.push_back({rows.int64(0), rows.int64(1), rows.text(2), rows.text(3)});
  return out;
}

Result<std::int64_t> SqlStore::create_liaison_network(const LiaisonNetwork& n) {
  if (n.name.empty() || n.name.size() > kMaxNameBytes || n.represented_members < 0)
    return make_error(Errc::kInvalidArgument,
                      "a liaison network needs a name and a member count of 0 or more", "");
  auto c = pool_->write();
  auto ins = c->query(
      "INSERT INTO liaison_networks (name, name_ja, represented_members, org_id) VALUES ($1, $2, "
      "$3, $4) RETURNING id",
      {n.name, n.name_ja, n.represented_members, n.org_id});
  if (!ins)
    return conflict_or(ins.error(), "a liaison network named \"" + n.name +
                                        "\" exists already, or its organisation does not");
  ins->next();
  return ins->int64(0);
}

Result<std::vector<LiaisonNetwork>> SqlStore::liaison_networks() {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT id, name, name_ja, represented_members, org_id FROM "
                            "liaison_networks ORDER BY id"));
  std::vector<LiaisonNetwork> out;
  while (rows.next())
    out.push_back({rows.int64(0), rows.text(1), rows.text(2), static_cast<int>(rows.int64(3)),
                   rows.opt_int64(4)});
  return out;
}

Result<std::vector<Category>> SqlStore::consultation_categories() {
  auto c = pool_->read();
  RENKEI_TRY(
      rows,
      c->query("SELECT key, name, name_ja FROM consultation_categories ORDER BY position, key"));
  std::vector<Category> out;
  while (rows.next()) out.push_back({rows.text(0), rows.text(1), rows.text(2)});
  return out;
}

Result<void> SqlStore::create_consultation_category(const Category& cat) {
  const bool key_ok = !cat.key.empty() && cat.key.size() <= 64 &&
                      std::all_of(cat.key.begin(), cat.key.end(), [](char ch) {
                        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                      });
  if (!key_ok)
    return make_error(
        Errc::kInvalidArgument,
        "the category key \"" + clean_text(cat.key.substr(0, 64)) + "\" is not usable",
        "use 1 to 64 lowercase ASCII letters, digits or '_', e.g. supply_chain");
  if (cat.name.empty() || cat.name.size() > kMaxNameBytes || cat.name_ja.size() > kMaxNameBytes)
    return make_error(Errc::kInvalidArgument, "a category needs a name (1 to 256 bytes)",
                      "give name and name_ja");
  auto c = pool_->write();
  auto ins = c->query(
      "INSERT INTO consultation_categories (key, name, name_ja, position) "
      "VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM consultation_categories))",
      {cat.key, cat.name, cat.name_ja});
  if (!ins) return conflict_or(ins.error(), "the category \"" + cat.key + "\" exists already");
  return {};
}

}  // namespace renkei::store
