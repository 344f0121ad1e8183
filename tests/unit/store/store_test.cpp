// The store on both databases — a real SQLite file and a real PostgreSQL server (started by ctest,
// tests/pg/pg_server.sh) — with the same tests: migrations, organisations and their registry data,
// users and credentials, sessions, idempotent submissions, the analysis queue (exactly once,
// across handles), search (Japanese included), the audit log; backup and restore for SQLite.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "store/drivers.hpp"
#include "store/migrations.hpp"
#include "store/pg_db.hpp"
#include "store/store.hpp"

using namespace renkei;
using namespace renkei::store;
using namespace renkei::model;

namespace {

// An analysis as the worker would store it: the JSON, verdict, subject and search text.
AnalysisRecord analysed(std::string json, std::string verdict, std::string subject,
                        std::string search_text) {
  AnalysisRecord r;
  r.json = std::move(json);
  r.verdict = std::move(verdict);
  r.subject = std::move(subject);
  r.search_text = std::move(search_text);
  return r;
}

// The PostgreSQL server ctest started (pg.start): the URL of its admin database, from the file
// named by $RENKEI_TEST_PG_URL_FILE or else the build's ("" when no server runs).
std::string pg_admin_url() {
  const char* f = std::getenv("RENKEI_TEST_PG_URL_FILE");
  std::ifstream in(f != nullptr ? f : RENKEI_TEST_PG_URL_FILE);
  std::string url;
  std::getline(in, url);
  return url;
}

class StoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  bool pg() const { return std::string(GetParam()) == "postgres"; }

  void SetUp() override {
    const std::string name =
        std::string("rk_") + std::to_string(::getpid()) + "_" + std::to_string(++counter_);
    if (pg()) {
      admin_url_ = pg_admin_url();
      if (admin_url_.empty())
        GTEST_SKIP()
            << "no PostgreSQL: run through ctest (it starts one with tests/pg/pg_server.sh)";
      auto admin = pg::Connection::open(admin_url_);
      ASSERT_TRUE(admin.has_value()) << admin.error().to_string();
      ASSERT_TRUE((*admin)->exec_script("CREATE DATABASE " + name).has_value());
      db_name_ = name;
      database_ = admin_url_.substr(0, admin_url_.rfind('/') + 1) + name;
    }
    dir_ = std::filesystem::temp_directory_path() / ("renkei-store-test-" + name);
    std::filesystem::remove_all(dir_);
    auto s = open_handle();
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    store_ = std::move(*s);
    auto v = store_->migrate();
    ASSERT_TRUE(v.has_value()) << v.error().to_string();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
    if (!db_name_.empty())
      if (auto admin = pg::Connection::open(admin_url_))
        (void)(*admin)->exec_script("DROP DATABASE " + db_name_ + " WITH (FORCE)");
  }

  // Another handle on the same database (as another process or server would have).
  Result<std::unique_ptr<Store>> open_handle() { return open_store({dir_.string(), database_}); }

  std::int64_t make_org(const std::string& name, std::vector<std::string> domains = {}) {
    Organization o;
    o.data.name = name;
    o.data.domains = std::move(domains);
    auto id = store_->create_organization(o);
    EXPECT_TRUE(id.has_value()) << id.error().to_string();
    return id.value_or(0);
  }

  std::filesystem::path dir_;
  std::string admin_url_, db_name_, database_;
  std::unique_ptr<Store> store_;
  static inline int counter_ = 0;
};

const std::string kEml =
    "From: Bob <bob@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: "
    "Invoice\r\n\r\nPlease pay.\r\n";

}  // namespace

TEST_P(StoreTest, MigrationsAreVersionedAndIdempotent) {
  auto v = store_->schema_version();
  ASSERT_TRUE(v.has_value());
  EXPECT_GE(*v, 1);
  auto again = store_->migrate();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *v);
}

TEST_P(StoreTest, OrganisationsCarryRegistryDataAndFeedTheRegistry) {
  Organization o;
  o.data.name = "Example Manufacturing";
  o.data.name_ja = "例示製造";
  o.data.industry = "manufacturing";
  o.data.domains = {"Example-MFG.co.jp", "例示.jp"};
  o.data.partner_domains = {"b-companys.com.cc"};
  o.data.vips = {{"Taro Yamada", "山田太郎", "CEO", {"T.Yamada@example-mfg.co.jp"}}};
  const auto v0 = store_->registry_version();
  auto id = store_->create_organization(o);
  ASSERT_TRUE(id.has_value()) << id.error().to_string();
  EXPECT_GT(*store_->registry_version(), *v0);

  auto back = store_->organization(*id);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->data.name_ja, "例示製造");
  ASSERT_EQ(back->data.domains.size(), 2u);
  EXPECT_EQ(back->data.domains[0], "example-mfg.co.jp");  // lowercased
  EXPECT_EQ(back->data.domains[1].rfind("xn--", 0), 0u);  // IDN stored in ASCII form
  EXPECT_EQ(registry::idn_to_unicode(back->data.domains[1]), "例示.jp");
  ASSERT_EQ(back->data.vips.size(), 1u);
  EXPECT_EQ(back->data.vips[0].addresses, std::vector<std::string>{"t.yamada@example-mfg.co.jp"});

  auto reg = store_->registry();
  ASSERT_TRUE(reg.has_value());
  EXPECT_TRUE(reg->is_protected("mail.example-mfg.co.jp"));
  EXPECT_TRUE(reg->is_protected("b-companys.com.cc"));
  EXPECT_TRUE(reg->is_vip_address("t.yamada@example-mfg.co.jp"));

  // Same name again: a conflict that says what to do.
  auto dup = store_->create_organization(o);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, Errc::kConflict);
  // A bad domain is refused, nothing half-written.
  Organization bad;
  bad.data.name = "Bad";
  bad.data.domains = {"https://example.com/"};
  auto r = store_->create_organization(bad);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(store_->organizations()->size(), 1u);

  // Update replaces the registry data and bumps the version.
  const auto v1 = *store_->registry_version();
  back->data.domains = {"example-mfg.com"};
  ASSERT_TRUE(store_->update_organization(*back).has_value());
  EXPECT_GT(*store_->registry_version(), v1);
  EXPECT_EQ(store_->organization(*id)->data.domains, std::vector<std::string>{"example-mfg.com"});
}

TEST_P(StoreTest, UsersLogInAndTokensAuthenticateUntilRevoked) {
  const auto org = make_org("A Company", {"a-company.co.jp"});
  auto uid = store_->create_user(
      {org, "alice@a-company.co.jp", "Alice", Role::kSubmitter, "a long enough password"});
  ASSERT_TRUE(uid.has_value()) << uid.error().to_string();
  auto p = store_->login("alice@a-company.co.jp", "a long enough password");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->user.role, Role::kSubmitter);
  EXPECT_EQ(p->user.org_id, org);
  for (auto [login, pw] : {std::pair{"alice@a-company.co.jp", "wrong password!!"},
                           std::pair{"nobody", "a long enough password"}}) {
    auto bad = store_->login(login, pw);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, Errc::kUnauthenticated);
    EXPECT_EQ(bad.error().message, "wrong login or password");  // the same for both: no probing
  }
  EXPECT_EQ(store_->create_user({org, "alice@a-company.co.jp", "", Role::kReader, ""}).error().code,
            Errc::kConflict);

  auto t = store_->create_token(*uid, "ci", {"submit", "read"});
  ASSERT_TRUE(t.has_value());
  auto who = store_->authenticate(t->secret);
  ASSERT_TRUE(who.has_value()) << who.error().to_string();
  EXPECT_EQ(who->user.id, *uid);
  EXPECT_EQ(who->scopes, (std::vector<std::string>{"submit", "read"}));
  EXPECT_EQ(store_->authenticate("rk_" + std::string(43, 'A')).error().code,
            Errc::kUnauthenticated);
  EXPECT_EQ(store_->authenticate("garbage").error().code, Errc::kUnauthenticated);
  ASSERT_TRUE(store_->revoke_token(t->id).has_value());
  EXPECT_EQ(store_->authenticate(t->secret).error().code, Errc::kUnauthenticated);
  EXPECT_EQ(store_->revoke_token(t->id).error().code, Errc::kNotFound);
}

TEST_P(StoreTest, SubmissionsAreIdempotentPerOrganisationAndKeepTheBytes) {
  const auto a = make_org("A Company");
  const auto b = make_org("B Company");
  NewSubmission s;
  s.org_id = a;
  s.artefact = kEml;
  s.free_text = "請求書の振込先変更の依頼";
  auto first = store_->submit(s);
  ASSERT_TRUE(first.has_value()) << first.error().to_string();
  EXPECT_FALSE(first->duplicate);
  auto again = store_->submit(s);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->id, first->id);
  s.org_id = b;  // another organisation reporting the same mail is another submission
  auto other = store_->submit(s);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->duplicate);
  EXPECT_NE(other->id, first->id);

  auto got = store_->submission(first->id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, Status::kQueued);
  EXPECT_EQ(got->artefact_size, static_cast<std::int64_t>(kEml.size()));
  EXPECT_EQ(*store_->artefact(got->artefact_sha256), kEml);  // byte for byte
  EXPECT_EQ(store_->submission(999).error().code, Errc::kNotFound);

  NewSubmission empty;
  empty.org_id = a;
  EXPECT_EQ(store_->submit(empty).error().code, Errc::kInvalidArgument);
  NewSubmission huge;
  huge.org_id = a;
  huge.artefact.assign(kMaxArtefactBytes + 1, 'x');
  EXPECT_EQ(store_->submit(huge).error().code, Errc::kLimit);  // 413 over HTTP
}

TEST_P(StoreTest, QueueHandsOutEachSubmissionExactlyOnceAcrossHandles) {
  const auto org = make_org("A Company");
  constexpr int kSubmissions = 60;
  for (int i = 0; i < kSubmissions; ++i) {
    NewSubmission s;
    s.org_id = org;
    s.artefact = kEml + std::to_string(i);
    ASSERT_TRUE(store_->submit(s).has_value());
  }
  // Three workers, each with its own handle on the same file (as separate processes would).
  std::mutex mu;
  std::multiset<std::int64_t> done;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w)
    workers.emplace_back([&, w] {
      auto handle = open_handle();
      if (!handle) {
        ++errors;
        return;
      }
      for (;;) {
        auto c = (*handle)->claim_next("worker-" + std::to_string(w));
        if (!c) {
          ++errors;
          continue;
        }
        if (!*c) break;
        if (!(*handle)->complete((*c)->id,
                                 analysed("{}", "bec", "Invoice", "bob@b-companys-cc.com")))
          ++errors;
        const std::lock_guard lock(mu);
        done.insert((*c)->id);
      }
    });
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(done.size(), static_cast<std::size_t>(kSubmissions));
  EXPECT_EQ(std::set<std::int64_t>(done.begin(), done.end()).size(), done.size())
      << "a submission was analysed twice";
  SubmissionFilter f;
  f.status = Status::kAnalysed;
  f.limit = 500;
  auto analysed = store_->submissions(f);
  ASSERT_TRUE(analysed.has_value()) << analysed.error().to_string();
  EXPECT_EQ(analysed->size(), static_cast<std::size_t>(kSubmissions));
}

TEST_P(StoreTest, FailedAnalysesAreRetriedThenMarkedAndStaleClaimsRequeued) {
  const auto org = make_org("A Company");
  NewSubmission s;
  s.org_id = org;
  s.artefact = kEml;
  const auto id = store_->submit(s)->id;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    auto c = store_->claim_next("w");
    ASSERT_TRUE(c.has_value() && c->has_value()) << "attempt " << attempt;
    EXPECT_EQ((*c)->attempts, attempt);
    ASSERT_TRUE(store_->fail(id, "parser exploded").has_value());
  }
  EXPECT_EQ(store_->submission(id)->status, Status::kFailed);
  EXPECT_EQ(store_->submission(id)->error, "parser exploded");

  s.artefact = kEml + "x";
  const auto id2 = store_->submit(s)->id;
  ASSERT_TRUE(store_->claim_next("dead-worker")->has_value());
  EXPECT_EQ(store_->submission(id2)->status, Status::kAnalysing);
  EXPECT_EQ(*store_->requeue_stale(std::chrono::hours(1)), 0);     // still fresh
  EXPECT_EQ(*store_->requeue_stale(std::chrono::seconds(-5)), 1);  // older than "5 s in the future"
  EXPECT_EQ(store_->submission(id2)->status, Status::kQueued);
}

// The analysis processes of `renkei serve`: when one dies, the server gives back the claims of that
// worker only (another worker's live claim stays), and a mail whose analysis killed its worker
// kMaxInterruptions times is failed with the reason and never claimed again.
TEST_P(StoreTest, ClaimsOfADeadWorkerAreGivenBackAndCountedUntilFailed) {
  const auto org = make_org("A Company");
  NewSubmission s;
  s.org_id = org;
  s.artefact = kEml;
  const auto crashing = store_->submit(s)->id;
  s.artefact = kEml + "other";
  const auto other = store_->submit(s)->id;
  auto live = open_handle();
  ASSERT_TRUE(live.has_value());
  for (int interruption = 1; interruption <= kMaxInterruptions; ++interruption) {
    auto c = store_->claim_next("serve-1/0");
    ASSERT_TRUE(c.has_value() && c->has_value()) << "claim " << interruption;
    EXPECT_EQ((*c)->id, crashing);
    EXPECT_EQ((*c)->attempts, interruption);
    if (interruption == 1) {  // another worker is busy with the other mail meanwhile
      auto o = (*live)->claim_next("serve-1/1");
      ASSERT_TRUE(o.has_value() && o->has_value());
      EXPECT_EQ((*o)->id, other);
    }
    EXPECT_EQ(*store_->requeue_abandoned("serve-1/0"), 1);
  }
  EXPECT_EQ(store_->submission(crashing)->status, Status::kFailed);
  EXPECT_NE(store_->submission(crashing)->error.find("interrupted 5 times"), std::string::npos)
      << store_->submission(crashing)->error;
  EXPECT_EQ(store_->submission(other)->status, Status::kAnalysing) << "a live claim was taken";
  EXPECT_FALSE(store_->claim_next("serve-1/0")->has_value()) << "a failed mail was claimed again";
  EXPECT_EQ(*store_->requeue_abandoned("serve-1/0"), 0);
}

TEST_P(StoreTest, ListsFilterPageAndSearchJapanese) {
  const auto a = make_org("A Company");
  const auto b = make_org("B Company");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 25; ++i) {
    NewSubmission s;
    s.org_id = i % 5 == 0 ? b : a;
    s.artefact = kEml + std::to_string(i);
    s.free_text =
        i == 7 ? "社長を名乗る人物から至急の送金依頼" : "ordinary report " + std::to_string(i);
    ids.push_back(store_->submit(s)->id);
  }
  ASSERT_TRUE(store_
                  ->complete(ids[3], analysed("{}", "phishing", "Your mailbox is full",
                                              "login.example-mfg.co.jp.verify.net"))
                  .has_value());

  SubmissionFilter own;
  own.org_id = b;
  own.limit = 500;
  EXPECT_EQ(store_->submissions(own)->size(), 5u);

  SubmissionFilter page;
  page.limit = 10;
  auto p1 = store_->submissions(page);
  ASSERT_EQ(p1->size(), 10u);
  EXPECT_EQ(p1->front().id, ids.back());  // newest first
  page.before_id = p1->back().id;
  auto p2 = store_->submissions(page);
  ASSERT_EQ(p2->size(), 10u);
  EXPECT_LT(p2->front().id, p1->back().id);

  SubmissionFilter search;
  search.text = "送金依頼";
  auto hits = store_->submissions(search);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().id, ids[7]);
  search.text = "mailbox";  // the analysed subject is searchable
  EXPECT_EQ(store_->submissions(search)->size(), 1u);
  search.text = "verify.net";  // and what the analysis found (sender, links)
  EXPECT_EQ(store_->submissions(search)->size(), 1u);
  search.text = "社長";  // two characters: below the trigram, found by LIKE
  EXPECT_EQ(store_->submissions(search)->size(), 1u);
  search.text = "\"; DROP TABLE submissions; --";
  EXPECT_TRUE(store_->submissions(search).has_value());
  // Found by the API fuzzer: NUL bytes and broken UTF-8 in a search term answered 500.
  search.text = std::string("!\xE6\0\0\0e8C%A\xBA\x96", 12);
  EXPECT_TRUE(store_->submissions(search).has_value());
  search.text = std::string("\0", 1);
  EXPECT_TRUE(store_->submissions(search).has_value());
  EXPECT_EQ(store_->submissions(SubmissionFilter{.limit = 0}).error().code, Errc::kInvalidArgument);
}

TEST_P(StoreTest, AuditLogIsAppendOnlyNewestFirst) {
  ASSERT_TRUE(
      store_->audit({0, "", std::nullopt, "org.create", "organization:1", "cli", ""}).has_value());
  ASSERT_TRUE(store_->audit({0, "", std::nullopt, "token.create", "token:1", "127.0.0.1", "ci"})
                  .has_value());
  auto log = store_->audit_log(0, 10);
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ(log->front().action, "token.create");
  EXPECT_FALSE(log->front().at.empty());
  EXPECT_EQ(store_->audit({}).error().code, Errc::kInvalidArgument);
}

TEST_P(StoreTest, BackupAndRestoreRoundTrip) {
  if (pg()) {
    auto r = store_->backup_to((dir_ / "backup.db").string());
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().hint.find("pg_dump"), std::string::npos)
        << "PostgreSQL is backed up with its own tools";
    return;
  }
  const auto org = make_org("A Company", {"a-company.co.jp"});
  NewSubmission s;
  s.org_id = org;
  s.artefact = kEml;
  const auto id = store_->submit(s)->id;
  const auto backup = (dir_ / "backup.db").string();
  ASSERT_TRUE(store_->backup_to(backup).has_value());
  EXPECT_EQ(store_->backup_to(backup).error().code, Errc::kConflict);

  const auto restored_dir = (dir_ / "restored").string();
  ASSERT_TRUE(restore_sqlite(restored_dir, backup).has_value());
  auto restored = open_sqlite(restored_dir);
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(*(*restored)->artefact((*restored)->submission(id)->artefact_sha256), kEml);
  EXPECT_EQ((*restored)->organizations()->front().data.domains,
            std::vector<std::string>{"a-company.co.jp"});

  const auto not_db = (dir_ / "not.db").string();
  { std::ofstream(not_db) << "hello"; }
  EXPECT_FALSE(restore_sqlite((dir_ / "x").string(), not_db).has_value());
}

TEST_P(StoreTest, SigsWithMembershipHistoryAndLiaisonNetworks) {
  const auto a = make_org("Kanto Electric");
  const auto b = make_org("Tokai Gas");
  auto power = store_->create_sig("Electricity SIG", "電力業界SIG");
  auto gas = store_->create_sig("Gas SIG", "ガス業界SIG");
  ASSERT_TRUE(power && gas);
  EXPECT_EQ(store_->create_sig("Electricity SIG", "").error().code, Errc::kConflict);
  ASSERT_TRUE(store_->add_membership({*power, a, "2020-04-01", ""}).has_value());
  ASSERT_TRUE(store_->add_membership({*gas, a, "2020-04-01", ""}).has_value());  // in several SIGs
  ASSERT_TRUE(store_->add_membership({*power, b, "2019-01-01", "2020-06-30"}).has_value());  // left
  EXPECT_EQ(store_->add_membership({*power, b, "2021-13", ""}).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(store_->add_membership({*power, b, "2021-01-01", "2020-01-01"}).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(store_->add_membership({*power, 999, "2021-01-01", ""}).error().code, Errc::kConflict);
  const auto sigs = *store_->sigs();
  ASSERT_EQ(sigs.size(), 2u);
  EXPECT_EQ(sigs[0].name_ja, "電力業界SIG");
  EXPECT_EQ(sigs[0].members, 1);  // b has left
  EXPECT_EQ(store_->memberships(a)->size(), 2u);
  EXPECT_EQ(store_->memberships(b)->front().left_on, "2020-06-30");

  auto net = store_->create_liaison_network({0, "Medical associations", "医療関連団体", 5500, b});
  ASSERT_TRUE(net.has_value());
  EXPECT_EQ(store_->liaison_networks()->front().represented_members, 5500);
  EXPECT_EQ(store_->create_liaison_network({0, "", "", 1, std::nullopt}).error().code,
            Errc::kInvalidArgument);
}

TEST_P(StoreTest, AnOrganisationLeavesASigAndItsHistoryStays) {
  const auto org = make_org("Kanto Electric");
  const auto sig = *store_->create_sig("Electricity", "電力");
  ASSERT_TRUE(store_->add_membership({sig, org, "2019-04-01", ""}).has_value());
  EXPECT_EQ(store_->end_membership(sig, org, "2019-03-01").error().code, Errc::kInvalidArgument);
  EXPECT_EQ(store_->end_membership(sig, org, "soon").error().code, Errc::kInvalidArgument);
  auto ended = store_->end_membership(sig, org, "2026-03-31");
  ASSERT_TRUE(ended.has_value()) << ended.error().to_string();
  EXPECT_EQ(ended->joined_on, "2019-04-01");
  EXPECT_EQ(store_->end_membership(sig, org, "2026-04-01").error().code, Errc::kNotFound)
      << "nothing open any more";
  EXPECT_EQ(store_->sigs()->front().members, 0);
  ASSERT_TRUE(store_->add_membership({sig, org, "2026-10-01", ""}).has_value());  // and rejoins
  auto history = store_->memberships(org);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].left_on, "2026-03-31");
  EXPECT_EQ((*history)[1].left_on, "");
  EXPECT_EQ(store_->sigs()->front().members, 1);
}

TEST_P(StoreTest, SessionsExpireAndEndWithLogoutOrADisabledUser) {
  const auto org = make_org("A Company");
  NewUser u{org, "alice@a-company.co.jp", "Alice", Role::kSubmitter, "correct horse battery"};
  const auto uid = *store_->create_user(u);
  auto session = store_->create_session(uid, std::chrono::hours(12));
  ASSERT_TRUE(session.has_value());
  auto who = store_->authenticate(session->secret);
  ASSERT_TRUE(who.has_value());
  EXPECT_TRUE(who->session);
  EXPECT_EQ(who->token_id, session->id);
  EXPECT_TRUE(who->scopes.empty()) << "a session carries the role's rights";
  auto api = store_->create_token(uid, "ci", {"submit"});
  EXPECT_FALSE(store_->authenticate(api->secret)->session);

  // Sessions are not API tokens: the token list shows only the latter.
  auto listed = store_->tokens(uid);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().name, "ci");
  EXPECT_EQ(listed->front().scopes, std::vector<std::string>{"submit"});
  EXPECT_TRUE(listed->front().revoked_at.empty());
  EXPECT_EQ(store_->tokens(std::nullopt)->size(), 1u);
  EXPECT_TRUE(store_->tokens(uid + 1000)->empty());

  auto expired = store_->create_session(uid, std::chrono::seconds(-1));
  EXPECT_EQ(store_->authenticate(expired->secret).error().code, Errc::kUnauthenticated);
  ASSERT_TRUE(store_->revoke_token(session->id).has_value());  // logout
  EXPECT_EQ(store_->authenticate(session->secret).error().code, Errc::kUnauthenticated);

  auto again = store_->create_session(uid, std::chrono::hours(1));
  ASSERT_TRUE(
      store_->update_user({uid, std::nullopt, std::nullopt, true, std::nullopt}).has_value());
  EXPECT_EQ(store_->authenticate(again->secret).error().code, Errc::kUnauthenticated);
  EXPECT_EQ(store_->authenticate(api->secret).error().code, Errc::kUnauthenticated);
  ASSERT_TRUE(
      store_->update_user({uid, std::string("Alice Tanaka"), Role::kReader, false, std::nullopt})
          .has_value());
  // Disabling revoked them for good: an enabled account starts with new credentials.
  EXPECT_EQ(store_->authenticate(again->secret).error().code, Errc::kUnauthenticated)
      << "re-enabling does not bring back a session";
  EXPECT_EQ(store_->authenticate(api->secret).error().code, Errc::kUnauthenticated)
      << "re-enabling does not bring back an API token";
  again = store_->create_session(uid, std::chrono::hours(1));
  api = store_->create_token(uid, "ci again", {"submit"});
  EXPECT_TRUE(store_->authenticate(again->secret).has_value());
  ASSERT_TRUE(store_
                  ->update_user({uid, std::nullopt, std::nullopt, std::nullopt,
                                 std::string("new passphrase")})
                  .has_value());
  EXPECT_EQ(store_->authenticate(again->secret).error().code, Errc::kUnauthenticated)
      << "a new password ends the sessions";
  EXPECT_TRUE(store_->authenticate(api->secret).has_value())
      << "API tokens outlive a password change";
  EXPECT_EQ(store_->login("alice@a-company.co.jp", "correct horse battery").error().code,
            Errc::kUnauthenticated);
  auto p = store_->login("alice@a-company.co.jp", "new passphrase");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->user.role, Role::kReader);
  EXPECT_EQ(p->user.display_name, "Alice Tanaka");
  EXPECT_EQ(store_->update_user({uid + 1000, std::string("x"), {}, {}, {}}).error().code,
            Errc::kNotFound);
  EXPECT_EQ(store_->create_session(uid + 1000, std::chrono::hours(1)).error().code,
            Errc::kNotFound);
}

TEST_P(StoreTest, ConsultationCategoriesKeepTheirOrder) {
  auto before = store_->consultation_categories();
  ASSERT_TRUE(before.has_value());
  ASSERT_FALSE(before->empty());
  EXPECT_EQ(before->front().key, "bec");
  EXPECT_EQ(before->back().key, "other");
  ASSERT_TRUE(store_
                  ->create_consultation_category(
                      {"supply_chain", "Supply-chain attack", "サプライチェーン攻撃"})
                  .has_value());
  auto after = store_->consultation_categories();
  ASSERT_EQ(after->size(), before->size() + 1);
  EXPECT_EQ(after->back().key, "supply_chain");
  EXPECT_EQ(after->back().name_ja, "サプライチェーン攻撃");
  EXPECT_EQ(store_->create_consultation_category({"supply_chain", "Again", ""}).error().code,
            Errc::kConflict);
  EXPECT_EQ(store_->create_consultation_category({"Bad Key", "x", ""}).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(store_->create_consultation_category({"ok", "", ""}).error().code,
            Errc::kInvalidArgument);
}

TEST_P(StoreTest, TheSameBytesFromConcurrentHandlesAreStoredOnce) {
  const auto org = make_org("A Company");
  constexpr int kHandles = 4;
  std::vector<SubmitResult> results(kHandles);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int h = 0; h < kHandles; ++h)
    threads.emplace_back([&, h] {
      auto handle = open_handle();
      if (!handle) {
        ++errors;
        return;
      }
      NewSubmission s;
      s.org_id = org;
      s.artefact = kEml;
      auto r = (*handle)->submit(s);
      if (r)
        results[static_cast<std::size_t>(h)] = *r;
      else
        ++errors;
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(errors.load(), 0);
  int fresh = 0;
  for (const auto& r : results) {
    EXPECT_EQ(r.id, results.front().id);
    fresh += r.duplicate ? 0 : 1;
  }
  EXPECT_EQ(fresh, 1);
}

TEST_P(StoreTest, HostileTextIsStoredAsCleanUtf8) {
  const auto org = make_org("A Company");
  NewSubmission s;
  s.org_id = org;
  s.free_text = std::string("nul") + '\0' + "here \xff and 社長";
  auto r = store_->submit(s);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const auto stored = store_->submission(r->id)->free_text;
  EXPECT_EQ(stored.find('\0'), std::string::npos);
  EXPECT_NE(stored.find("社長"), std::string::npos);
  auto c = store_->claim_next("w");
  ASSERT_TRUE(c.has_value() && c->has_value());
  ASSERT_TRUE(store_
                  ->complete((*c)->id, analysed("{}", "phishing", std::string("Sub\0ject \xc3", 10),
                                                std::string("x\0y")))
                  .has_value());
  EXPECT_EQ(store_->submission(r->id)->subject, "Sub\xEF\xBF\xBDject \xEF\xBF\xBD");
}

// PostgreSQL: a claim belongs to its worker's connection. Another server's sweep never takes it
// while the worker lives, and takes it back at once when the worker's process is gone.
TEST_P(StoreTest, PostgresClaimsOfLiveWorkersAreNeverRequeued) {
  if (!pg())
    GTEST_SKIP()
        << "SQLite has one server per database: its claims are requeued when that server restarts";
  const auto org = make_org("A Company");
  NewSubmission s;
  s.org_id = org;
  s.artefact = kEml;
  const auto id = store_->submit(s)->id;
  auto worker = open_handle();
  ASSERT_TRUE(worker.has_value());
  auto c = (*worker)->claim_next("server-a/0");
  ASSERT_TRUE(c.has_value() && c->has_value());
  EXPECT_EQ(*store_->requeue_stale(std::chrono::seconds(-5)), 0)
      << "a live worker's claim was taken";
  EXPECT_EQ(store_->submission(id)->status, Status::kAnalysing);
  worker->reset();  // the worker's process dies: its connection closes
  int requeued = 0;
  for (int i = 0; i < 50 && requeued == 0; ++i) {  // the server notices the closed connection
    requeued = *store_->requeue_stale(std::chrono::seconds(-5));
    if (requeued == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(requeued, 1);
  EXPECT_EQ(store_->submission(id)->status, Status::kQueued);
}

TEST_P(StoreTest, CountsByVerdictStatusAndKindSinceADate) {
  const auto a = make_org("A Company");
  const auto b = make_org("B Company");
  for (int i = 0; i < 6; ++i) {
    NewSubmission s;
    s.org_id = i < 4 ? a : b;
    s.kind = i == 5 ? SubmissionKind::kIncident : SubmissionKind::kEmail;
    s.artefact = kEml + std::to_string(i);
    ASSERT_TRUE(store_->submit(s).has_value());
  }
  for (int i = 0; i < 3; ++i) {
    auto c = store_->claim_next("w");
    ASSERT_TRUE(c.has_value() && c->has_value());
    ASSERT_TRUE(store_->complete((*c)->id, analysed("{}", i == 0 ? "phishing" : "bec", "s", ""))
                    .has_value());
  }
  auto all = store_->submission_counts(std::nullopt, "");
  ASSERT_TRUE(all.has_value()) << all.error().to_string();
  EXPECT_EQ(all->total, 6);
  using P = std::pair<std::string, std::int64_t>;
  EXPECT_EQ(all->by_verdict, (std::vector<P>{{"", 3}, {"bec", 2}, {"phishing", 1}}));
  EXPECT_EQ(all->by_status, (std::vector<P>{{"analysed", 3}, {"queued", 3}}));
  EXPECT_EQ(all->by_kind, (std::vector<P>{{"email", 5}, {"incident", 1}}));
  EXPECT_EQ(store_->submission_counts(b, "")->total, 2);
  EXPECT_EQ(store_->submission_counts(a, "2000-01-01T09:00:00+09:00")->total, 4);
  EXPECT_EQ(store_->submission_counts(std::nullopt, "2999-01-01T00:00:00Z")->total, 0);
  EXPECT_EQ(store_->submission_counts(std::nullopt, "yesterday").error().code,
            Errc::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Databases, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<const char*>& i) {
                           return std::string(i.param);
                         });

namespace {

// A mail's analysis with typed parts, as the analysis job stores it.
AnalysisRecord bec_analysis() {
  AnalysisRecord r = analysed(R"({"schema":"renkei.analysis/1"})", "bec", "Invoice", "bob");
  r.bec_type = 1;
  r.targeting = "targeted";
  r.score = 85;
  r.language = "en";
  r.from_address = "Bob@B-Companys-CC.com";
  r.indicators = {{"email-addr", "bob@b-companys-cc.com", "from"},
                  {"domain-name", "b-companys-cc.com", "from"},
                  {"email-addr", "bob@b-companys-cc.com", "from"},  // twice: kept once
                  {"url", "https://b-companys-cc.com/" + std::string(5000, 'a'), "link"}};
  r.signals = {{"sender_lookalike", "high"}, {"payment_change_request", "high"}};
  r.body_text = "Please pay to our new account.";
  r.body_html = "<p>Please pay</p>";
  return r;
}

}  // namespace

TEST_P(StoreTest, AnalysisIsKeptWithItsTypedPartsAndReplacedWhenRedone) {
  NewSubmission s;
  s.org_id = make_org("A");
  s.artefact = kEml;
  const auto id = store_->submit(s)->id;
  EXPECT_TRUE(store_->indicators(id)->empty());
  EXPECT_FALSE(store_->body(id)->has_value());
  auto c = store_->claim_next("w");
  ASSERT_TRUE(c.has_value() && c->has_value());
  auto done = store_->complete(id, bec_analysis());
  ASSERT_TRUE(done.has_value()) << done.error().to_string();

  auto inds = store_->indicators(id);
  ASSERT_TRUE(inds.has_value()) << inds.error().to_string();
  ASSERT_EQ(inds->size(), 3u);  // the duplicate folded; a 5 kB URL kept whole
  EXPECT_EQ((*inds)[0].type, "domain-name");
  EXPECT_EQ((*inds)[1].value, "bob@b-companys-cc.com");
  EXPECT_EQ((*inds)[1].role, "from");
  EXPECT_EQ((*inds)[2].value.size(), std::string("https://b-companys-cc.com/").size() + 5000);
  auto sigs = store_->signals(id);
  ASSERT_EQ(sigs->size(), 2u);
  EXPECT_EQ((*sigs)[0].id, "payment_change_request");
  EXPECT_EQ((*sigs)[0].severity, "high");
  auto body = store_->body(id);
  ASSERT_TRUE(body.has_value() && body->has_value());
  EXPECT_EQ((*body)->text, "Please pay to our new account.");
  EXPECT_EQ((*body)->html, "<p>Please pay</p>");
  EXPECT_EQ(store_->submission(id)->verdict_class, "bec");

  // Analysed again (a claim given back after its result was stored): the typed parts are
  // replaced, not added to.
  AnalysisRecord again = analysed("{}", "benign", "Invoice", "");
  again.indicators = {{"domain-name", "example.org", "body"}};
  ASSERT_TRUE(store_->complete(id, again).has_value());
  ASSERT_EQ(store_->indicators(id)->size(), 1u);
  EXPECT_TRUE(store_->signals(id)->empty());
  EXPECT_FALSE(store_->body(id)->has_value());
  // A body kept later (the view of a mail analysed before bodies were kept) is kept once.
  ASSERT_TRUE(store_->keep_body(id, {"text", ""}).has_value());
  ASSERT_TRUE(store_->keep_body(id, {"other", ""}).has_value());
  EXPECT_EQ((*store_->body(id))->text, "text");
  EXPECT_FALSE(store_->keep_body(987654, {"text", ""}).has_value());
}

// Many threads on one handle with a pool: reads and writes run side by side and all succeed, and
// every write is seen by the reads that follow it.
TEST_P(StoreTest, ThePoolServesConcurrentReadsAndWrites) {
  auto pooled = open_store({dir_.string(), database_, 4});
  ASSERT_TRUE(pooled.has_value()) << pooled.error().to_string();
  Store& st = **pooled;
  const auto org = make_org("Pooled");
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 15; ++i) {
        NewSubmission s;
        s.org_id = org;
        s.artefact = kEml + "thread " + std::to_string(t) + " mail " + std::to_string(i);
        auto r = st.submit(s);
        if (!r) {
          ++errors;
          continue;
        }
        auto back = st.submission(r->id);  // a read right after the write sees it
        if (!back || back->org_id != org) ++errors;
        SubmissionFilter f;
        f.org_id = org;
        if (!st.submissions(f) || !st.organizations() || !st.submission_counts(org, "")) ++errors;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(st.submission_counts(org, "")->total, 90);
}

// A hub made before schema 3 (migrations 1 and 2 applied, analyses stored only as JSON) opens with
// this version: migrate() brings it forward and fills the typed parts from the stored JSON.
TEST_P(StoreTest, AHubOfSchema2IsMigratedAndItsAnalysesTyped) {
  std::string old_db = database_;
  std::filesystem::path old_dir = dir_ / "old";
  std::unique_ptr<sql::Connection> c;
  if (pg()) {
    auto admin = pg::Connection::open(admin_url_);
    ASSERT_TRUE(admin.has_value());
    ASSERT_TRUE((*admin)->exec_script("CREATE DATABASE " + db_name_ + "_old").has_value());
    old_db = database_ + "_old";
    auto conn = pg::connect(old_db);
    ASSERT_TRUE(conn.has_value()) << conn.error().to_string();
    c = std::move(*conn);
  } else {
    std::filesystem::create_directories(old_dir);
    auto conn = sqlite::connect(sqlite_path(old_dir.string()), /*writer=*/true);
    ASSERT_TRUE(conn.has_value()) << conn.error().to_string();
    c = std::move(*conn);
  }
  // What the previous version's migrate() did: its two migrations, recorded.
  ASSERT_TRUE(c->exec_script("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name "
                             "TEXT NOT NULL, applied_at TEXT NOT NULL)")
                  .has_value());
  for (const Migration& m : migrations()) {
    if (m.version > 2) break;
    ASSERT_TRUE(c->exec_script(pg() ? m.postgres : m.sqlite).has_value()) << m.name;
    ASSERT_TRUE(c->query("INSERT INTO schema_migrations VALUES ($1, $2, '2026-11-01T00:00:00Z')",
                         {m.version, m.name})
                    .has_value());
  }
  const std::string json =
      R"({"schema":"renkei.analysis/1","message":{"language":"ja","from":{"address":"CEO@Secure-MX-Gateway.cc"}},)"
      R"("signals":[{"id":"executive_impersonation","severity":"high"},{"id":"secrecy_urgency","severity":"medium"}],)"
      R"("indicators":[{"type":"email-addr","value":"ceo@secure-mx-gateway.cc","role":"from"},)"
      R"({"type":"domain-name","value":"secure-mx-gateway.cc","role":"from"}],)"
      R"("verdict":{"class":"bec","bec_type":2,"targeting":"targeted","score":90}})";
  ASSERT_TRUE(
      c->query("INSERT INTO organizations (name, created_at) VALUES ('Old', 'x')").has_value());
  ASSERT_TRUE(
      c->query("INSERT INTO submissions (org_id, kind, channel, disclosure, status, "
               "submitted_at, verdict_class, subject, analysis_json) VALUES (1, 'email', "
               "'api', 'anonymised', 'analysed', '2026-11-02T00:00:00Z', 'bec', 'M&A', $1), "
               "(1, 'incident', 'api', 'anonymised', 'queued', '2026-11-03T00:00:00Z', '', "
               "'', ''), (1, 'email', 'api', 'anonymised', 'analysed', "
               "'2026-11-04T00:00:00Z', 'bec', 'damaged', $2), (1, 'email', 'api', "
               "'anonymised', 'analysed', '2026-11-05T00:00:00Z', 'bec', 'odd', $3)",
               {json, R"({"verdict":{"bec_type":2},"indicators":[{"type":)",
                R"({"verdict":{"bec_type":9,"score":"high"},"indicators":[1,"x"],"signals":{}})"})
          .has_value());
  c.reset();

  auto opened = open_store({old_dir.string(), old_db});
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  EXPECT_EQ(*(*opened)->schema_version(), 2);
  auto v = (*opened)->migrate();
  ASSERT_TRUE(v.has_value()) << v.error().to_string();
  EXPECT_GE(*v, 3);
  Store& st = **opened;
  auto inds = st.indicators(1);
  ASSERT_TRUE(inds.has_value()) << inds.error().to_string();
  ASSERT_EQ(inds->size(), 2u);
  EXPECT_EQ((*inds)[0].type, "domain-name");
  EXPECT_EQ((*inds)[1].value, "ceo@secure-mx-gateway.cc");
  ASSERT_EQ(st.signals(1)->size(), 2u);
  EXPECT_EQ((*st.signals(1))[0].id, "executive_impersonation");
  EXPECT_TRUE(st.indicators(2)->empty());
  // Damaged stored documents (cut JSON; values of unexpected types) are skipped, never a failed
  // migration that would keep the hub from starting.
  EXPECT_TRUE(st.indicators(3)->empty());
  EXPECT_TRUE(st.indicators(4)->empty());
  EXPECT_TRUE(st.signals(4)->empty());
  EXPECT_EQ(st.submission(4)->subject, "odd");
  // Everything else reads as before; the queued one is still queued and analysable.
  EXPECT_EQ(st.submission(1)->subject, "M&A");
  auto next = st.claim_next("w");
  ASSERT_TRUE(next.has_value() && next->has_value());
  EXPECT_EQ((*next)->id, 2);
  opened->reset();
  if (pg())
    if (auto admin = pg::Connection::open(admin_url_))
      (void)(*admin)->exec_script("DROP DATABASE " + db_name_ + "_old WITH (FORCE)");
}

// Regression (hub hardening, finding 3): a mail whose analysis kills the worker every time was
// claimed again after every restart. Each claim here is made by a handle that then disappears, as
// a killed server's would; after kMaxInterruptions the submission is failed with the reason.
TEST_P(StoreTest, AMailThatKillsTheAnalyserIsNotHandedOutForever) {
  NewSubmission s;
  s.org_id = make_org("A");
  s.artefact = kEml + "poison";
  const auto id = store_->submit(s)->id;
  for (int attempt = 1; attempt <= kMaxInterruptions; ++attempt) {
    {
      auto doomed = open_handle();
      ASSERT_TRUE(doomed.has_value());
      auto c = (*doomed)->claim_next("doomed-" + std::to_string(attempt));
      ASSERT_TRUE(c.has_value() && c->has_value()) << "attempt " << attempt;
      EXPECT_EQ((*c)->attempts, attempt);
    }  // the worker dies with its connection
    // (PostgreSQL ends the dead connection's session, and frees its claim, a moment later.)
    int requeued = 0;
    for (int wait = 0; wait < 250 && requeued == 0; ++wait) {
      requeued = store_->requeue_stale(std::chrono::seconds(-5)).value_or(0);
      if (requeued == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(requeued, 1);
  }
  const auto failed = store_->submission(id);
  EXPECT_EQ(failed->status, Status::kFailed);
  EXPECT_NE(failed->error.find("interrupted"), std::string::npos) << failed->error;
  EXPECT_FALSE(store_->claim_next("next")->has_value());
}
