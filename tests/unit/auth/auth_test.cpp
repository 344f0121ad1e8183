// Credentials: Argon2id password hashes and API tokens.
#include <gtest/gtest.h>

#include <set>

#include "auth/auth.hpp"

using namespace renkei;

TEST(Passwords, HashIsArgon2idAndVerifies) {
  auto h = auth::hash_password("correct horse battery staple");
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(auth::verify_password("correct horse battery staple", *h));
  EXPECT_FALSE(auth::verify_password("correct horse battery stapler", *h));
  EXPECT_FALSE(auth::verify_password("", *h));
  EXPECT_FALSE(auth::verify_password("correct horse battery staple", "not a hash"));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(*h, *auth::hash_password("correct horse battery staple"));
}

TEST(Passwords, LimitsAreNamedAndExplained) {
  const auto short_pw = auth::hash_password("short");
  ASSERT_FALSE(short_pw.has_value());
  EXPECT_EQ(short_pw.error().code, Errc::kInvalidArgument);
  EXPECT_NE(short_pw.error().hint.find("12"), std::string::npos);
  const auto long_pw = auth::hash_password(std::string(auth::kMaxPasswordBytes + 1, 'x'));
  ASSERT_FALSE(long_pw.has_value());
  EXPECT_EQ(long_pw.error().code, Errc::kInvalidArgument);
}

TEST(Tokens, RandomWellFormedAndDigested) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string t = auth::new_token();
    EXPECT_TRUE(auth::looks_like_token(t)) << t;
    EXPECT_TRUE(seen.insert(t).second);
  }
  const std::string t = auth::new_token();
  EXPECT_EQ(auth::token_digest(t).size(), 64u);
  EXPECT_EQ(auth::token_digest(t), auth::token_digest(t));
  EXPECT_NE(auth::token_digest(t), auth::token_digest(auth::new_token()));
  EXPECT_FALSE(auth::looks_like_token("rk_short"));
  EXPECT_FALSE(auth::looks_like_token("Bearer " + t));
  EXPECT_FALSE(auth::looks_like_token(t.substr(0, t.size() - 1) + "!"));
  EXPECT_EQ(auth::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_GE(auth::new_password().size(), 24u);
}
