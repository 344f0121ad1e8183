// detect_language: script rules for Japanese / Korean, CLD2 for the rest, "und" when unknown.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "content/content.hpp"

namespace renkei::content {
namespace {

TEST(Language, Table) {
  struct Case {
    const char* text;
    const char* lang;
  };
  const Case cases[] = {
      {"", "und"},
      {"!!! 123 ... ☆★", "und"},
      {"Hello", "und"},  // too short to call
      {"請求書", "ja"},  // kanji-only subjects are Japanese for our users
      {"至急確認", "ja"},
      {"Re: 請求書の件", "ja"},
      {"【重要】Amazon.co.jpアカウントの確認", "ja"},
      {"お世話になっております。振込先の変更をお願いいたします。", "ja"},
      {"Please update your account information immediately, or it will be suspended.", "en"},
      {"Estimado cliente, le informamos que su cuenta ha sido suspendida. Por favor, haga clic "
       "en el siguiente enlace.",
       "es"},
      {"Cher client, votre compte a été suspendu. Veuillez cliquer sur le lien ci-dessous pour "
       "vérifier votre identité.",
       "fr"},
      {"Sehr geehrte Damen und Herren, bitte überweisen Sie den Betrag auf das folgende Konto.",
       "de"},
      {"这是一个测试，我们需要你的帮助来完成付款，请尽快回复我们的邮件，谢谢你的合作。", "zh"},
      {"這是一個測試，我們需要你的幫助來完成付款，請盡快回覆我們的郵件，謝謝你的合作。", "zh-Hant"},
      {"안녕하세요 확인 부탁드립니다", "ko"},
  };
  for (const auto& c : cases) EXPECT_EQ(detect_language(c.text), c.lang) << c.text;
}

TEST(Language, InvalidUtf8IsTolerated) {
  EXPECT_EQ(detect_language("\xff\xfe\x80 please confirm the payment details in the attached "
                            "invoice before Friday"),
            "en");
  EXPECT_EQ(detect_language(std::string("\xc3", 1)), "und");
  EXPECT_EQ(detect_language(std::string(100, '\0')), "und");
}

TEST(Language, HugeInputIsCapped) {
  std::string text;
  while (text.size() < (10u << 20)) text += "The quick brown fox jumps over the lazy dog. ";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(detect_language(text), "en");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace renkei::content
