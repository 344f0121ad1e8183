// Keyboard neighbours for the replacement and insertion techniques (generator and classifier).
#include "lookalike/tables.hpp"

#include <array>
#include <string>
#include <string_view>

namespace renkei::lookalike::tables {
namespace {

struct Key {
  char key;
  std::string_view neighbours;
};

// dnstwist's three layouts (dnstwist.py, Fuzzer.keyboards), digits row included.
constexpr std::array<Key, 36> kQwerty{{
    {'1', "2q"},     {'2', "3wq1"},   {'3', "4ew2"},   {'4', "5re3"},   {'5', "6tr4"},
    {'6', "7yt5"},   {'7', "8uy6"},   {'8', "9iu7"},   {'9', "0oi8"},   {'0', "po9"},
    {'q', "12wa"},   {'w', "3esaq2"}, {'e', "4rdsw3"}, {'r', "5tfde4"}, {'t', "6ygfr5"},
    {'y', "7uhgt6"}, {'u', "8ijhy7"}, {'i', "9okju8"}, {'o', "0plki9"}, {'p', "lo0"},
    {'a', "qwsz"},   {'s', "edxzaw"}, {'d', "rfcxse"}, {'f', "tgvcdr"}, {'g', "yhbvft"},
    {'h', "ujnbgy"}, {'j', "ikmnhu"}, {'k', "olmji"},  {'l', "kop"},    {'z', "asx"},
    {'x', "zsdc"},   {'c', "xdfv"},   {'v', "cfgb"},   {'b', "vghn"},   {'n', "bhjm"},
    {'m', "njk"},
}};
constexpr std::array<Key, 36> kQwertz{{
    {'1', "2q"},     {'2', "3wq1"},   {'3', "4ew2"},   {'4', "5re3"},   {'5', "6tr4"},
    {'6', "7zt5"},   {'7', "8uz6"},   {'8', "9iu7"},   {'9', "0oi8"},   {'0', "po9"},
    {'q', "12wa"},   {'w', "3esaq2"}, {'e', "4rdsw3"}, {'r', "5tfde4"}, {'t', "6zgfr5"},
    {'z', "7uhgt6"}, {'u', "8ijhz7"}, {'i', "9okju8"}, {'o', "0plki9"}, {'p', "lo0"},
    {'a', "qwsy"},   {'s', "edxyaw"}, {'d', "rfcxse"}, {'f', "tgvcdr"}, {'g', "zhbvft"},
    {'h', "ujnbgz"}, {'j', "ikmnhu"}, {'k', "olmji"},  {'l', "kop"},    {'y', "asx"},
    {'x', "ysdc"},   {'c', "xdfv"},   {'v', "cfgb"},   {'b', "vghn"},   {'n', "bhjm"},
    {'m', "njk"},
}};
constexpr std::array<Key, 36> kAzerty{{
    {'1', "2a"},     {'2', "3za1"},   {'3', "4ez2"},   {'4', "5re3"},   {'5', "6tr4"},
    {'6', "7yt5"},   {'7', "8uy6"},   {'8', "9iu7"},   {'9', "0oi8"},   {'0', "po9"},
    {'a', "2zq1"},   {'z', "3esqa2"}, {'e', "4rdsz3"}, {'r', "5tfde4"}, {'t', "6ygfr5"},
    {'y', "7uhgt6"}, {'u', "8ijhy7"}, {'i', "9okju8"}, {'o', "0plki9"}, {'p', "lo0m"},
    {'q', "zswa"},   {'s', "edxwqz"}, {'d', "rfcxse"}, {'f', "tgvcdr"}, {'g', "yhbvft"},
    {'h', "ujnbgy"}, {'j', "iknhu"},  {'k', "olji"},   {'l', "kopm"},   {'m', "lp"},
    {'w', "sxq"},    {'x', "wsdc"},   {'c', "xdfv"},   {'v', "cfgb"},   {'b', "vghn"},
    {'n', "bhj"},
}};

// One string per ASCII code. The relation is closed under symmetry: dnstwist's tables are not
// quite symmetric, and the classifier must not depend on which side of a pair is the original.
std::array<std::string, 128> build_neighbours() {
  std::array<std::string, 128> table{};
  const auto add = [&table](char a, char b) {
    std::string& s = table[static_cast<unsigned char>(a)];
    if (a != b && s.find(b) == std::string::npos) s.push_back(b);
  };
  for (const auto* layout : {&kQwerty, &kQwertz, &kAzerty}) {
    for (const Key& k : *layout) {
      for (const char n : k.neighbours) {
        add(k.key, n);
        add(n, k.key);
      }
    }
  }
  return table;
}

}  // namespace

std::string_view keyboard_neighbours(char c) {
  static const std::array<std::string, 128> kTable = build_neighbours();
  const auto u = static_cast<unsigned char>(c);
  if (u >= kTable.size()) return {};
  return kTable[u];
}

}  // namespace renkei::lookalike::tables
