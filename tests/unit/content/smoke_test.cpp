#include <gtest/gtest.h>
#include "content/content.hpp"
TEST(ContentSmoke, Builds) { EXPECT_EQ(renkei::content::url_host("https://a.example/"), "a.example"); }
