// The SQLite store on a real database file: migrations, organisations and their registry data,
// users and credentials, idempotent submissions, the analysis queue (exactly once, across
// handles), search (Japanese included), the audit log, backup and restore.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "store/store.hpp"

using namespace renkei;
using namespace renkei::store;

namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("renkei-store-test-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = open_sqlite(dir_.string());
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    store_ = std::move(*s);
    auto v = store_->migrate();
    ASSERT_TRUE(v.has_value()) << v.error().to_string();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::int64_t make_org(const std::string& name, std::vector<std::string> domains = {}) {
    Organization o;
    o.data.name = name;
    o.data.domains = std::move(domains);
    auto id = store_->create_organization(o);
    EXPECT_TRUE(id.has_value()) << id.error().to_string();
    return id.value_or(0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

const std::string kEml =
    "From: Bob <bob@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: Invoice\r\n\r\nPlease pay.\r\n";

}  // namespace

TEST_F(StoreTest, MigrationsAreVersionedAndIdempotent) {
  auto v = store_->schema_version();
  ASSERT_TRUE(v.has_value());
  EXPECT_GE(*v, 1);
  auto again = store_->migrate();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *v);
}

TEST_F(StoreTest, OrganisationsCarryRegistryDataAndFeedTheRegistry) {
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

TEST_F(StoreTest, UsersLogInAndTokensAuthenticateUntilRevoked) {
  const auto org = make_org("A Company", {"a-company.co.jp"});
  auto uid = store_->create_user({org, "alice@a-company.co.jp", "Alice", Role::kSubmitter, "a long enough password"});
  ASSERT_TRUE(uid.has_value()) << uid.error().to_string();
  auto p = store_->login("alice@a-company.co.jp", "a long enough password");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->user.role, Role::kSubmitter);
  EXPECT_EQ(p->user.org_id, org);
  for (auto [login, pw] : {std::pair{"alice@a-company.co.jp", "wrong password!!"}, std::pair{"nobody", "a long enough password"}}) {
    auto bad = store_->login(login, pw);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, Errc::kUnauthenticated);
    EXPECT_EQ(bad.error().message, "wrong login or password");  // the same for both: no probing
  }
  EXPECT_EQ(store_->create_user({org, "alice@a-company.co.jp", "", Role::kReader, ""}).error().code, Errc::kConflict);

  auto t = store_->create_token(*uid, "ci", {"submit", "read"});
  ASSERT_TRUE(t.has_value());
  auto who = store_->authenticate(t->secret);
  ASSERT_TRUE(who.has_value()) << who.error().to_string();
  EXPECT_EQ(who->user.id, *uid);
  EXPECT_EQ(who->scopes, (std::vector<std::string>{"submit", "read"}));
  EXPECT_EQ(store_->authenticate("rk_" + std::string(43, 'A')).error().code, Errc::kUnauthenticated);
  EXPECT_EQ(store_->authenticate("garbage").error().code, Errc::kUnauthenticated);
  ASSERT_TRUE(store_->revoke_token(t->id).has_value());
  EXPECT_EQ(store_->authenticate(t->secret).error().code, Errc::kUnauthenticated);
  EXPECT_EQ(store_->revoke_token(t->id).error().code, Errc::kNotFound);
}

TEST_F(StoreTest, SubmissionsAreIdempotentPerOrganisationAndKeepTheBytes) {
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

TEST_F(StoreTest, QueueHandsOutEachSubmissionExactlyOnceAcrossHandles) {
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
      auto handle = open_sqlite(dir_.string());
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
        if (!(*handle)->complete((*c)->id, "{}", "bec", "Invoice", "bob@b-companys-cc.com")) ++errors;
        const std::lock_guard lock(mu);
        done.insert((*c)->id);
      }
    });
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(done.size(), static_cast<std::size_t>(kSubmissions));
  EXPECT_EQ(std::set<std::int64_t>(done.begin(), done.end()).size(), done.size()) << "a submission was analysed twice";
  SubmissionFilter f;
  f.status = Status::kAnalysed;
  f.limit = 500;
  EXPECT_EQ(store_->submissions(f)->size(), static_cast<std::size_t>(kSubmissions));
}

TEST_F(StoreTest, FailedAnalysesAreRetriedThenMarkedAndStaleClaimsRequeued) {
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
  EXPECT_EQ(*store_->requeue_stale(std::chrono::hours(1)), 0);  // still fresh
  EXPECT_EQ(*store_->requeue_stale(std::chrono::seconds(-5)), 1);  // older than "5 s in the future"
  EXPECT_EQ(store_->submission(id2)->status, Status::kQueued);
}

TEST_F(StoreTest, ListsFilterPageAndSearchJapanese) {
  const auto a = make_org("A Company");
  const auto b = make_org("B Company");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 25; ++i) {
    NewSubmission s;
    s.org_id = i % 5 == 0 ? b : a;
    s.artefact = kEml + std::to_string(i);
    s.free_text = i == 7 ? "社長を名乗る人物から至急の送金依頼" : "ordinary report " + std::to_string(i);
    ids.push_back(store_->submit(s)->id);
  }
  ASSERT_TRUE(store_->complete(ids[3], "{}", "phishing", "Your mailbox is full", "login.example-mfg.co.jp.verify.net").has_value());

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

TEST_F(StoreTest, AuditLogIsAppendOnlyNewestFirst) {
  ASSERT_TRUE(store_->audit({0, "", std::nullopt, "org.create", "organization:1", "cli", ""}).has_value());
  ASSERT_TRUE(store_->audit({0, "", std::nullopt, "token.create", "token:1", "127.0.0.1", "ci"}).has_value());
  auto log = store_->audit_log(0, 10);
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ(log->front().action, "token.create");
  EXPECT_FALSE(log->front().at.empty());
  EXPECT_EQ(store_->audit({}).error().code, Errc::kInvalidArgument);
}

TEST_F(StoreTest, BackupAndRestoreRoundTrip) {
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
  EXPECT_EQ((*restored)->organizations()->front().data.domains, std::vector<std::string>{"a-company.co.jp"});

  const auto not_db = (dir_ / "not.db").string();
  { std::ofstream(not_db) << "hello"; }
  EXPECT_FALSE(restore_sqlite((dir_ / "x").string(), not_db).has_value());
}

TEST_F(StoreTest, SigsWithMembershipHistoryAndLiaisonNetworks) {
  const auto a = make_org("Kanto Electric");
  const auto b = make_org("Tokai Gas");
  auto power = store_->create_sig("Electricity SIG", "電力業界SIG");
  auto gas = store_->create_sig("Gas SIG", "ガス業界SIG");
  ASSERT_TRUE(power && gas);
  EXPECT_EQ(store_->create_sig("Electricity SIG", "").error().code, Errc::kConflict);
  ASSERT_TRUE(store_->add_membership({*power, a, "2020-04-01", ""}).has_value());
  ASSERT_TRUE(store_->add_membership({*gas, a, "2020-04-01", ""}).has_value());  // in several SIGs
  ASSERT_TRUE(store_->add_membership({*power, b, "2019-01-01", "2020-06-30"}).has_value());  // left
  EXPECT_EQ(store_->add_membership({*power, b, "2021-13", ""}).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(store_->add_membership({*power, b, "2021-01-01", "2020-01-01"}).error().code, Errc::kInvalidArgument);
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
  EXPECT_EQ(store_->create_liaison_network({0, "", "", 1, std::nullopt}).error().code, Errc::kInvalidArgument);
}
