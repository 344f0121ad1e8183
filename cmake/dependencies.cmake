# All dependencies come from Debian 12 packages installed by scripts/setup.sh.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(tl-expected REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)

pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(PSL REQUIRED IMPORTED_TARGET libpsl)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)
pkg_check_modules(ARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(MAGIC REQUIRED IMPORTED_TARGET libmagic)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
# Boost.Beast and Boost.Asio (header-only): the hub's HTTP server (lib/hub/http_server.cpp).
find_package(Boost 1.74 REQUIRED)
pkg_check_modules(GMIME IMPORTED_TARGET gmime-3.0)  # optional: only the benchmark's bare-parse peer

# Debian ships CLD2 and ssdeep's libfuzzy without pkg-config files. libfuzzy is only the test
# oracle of our own ssdeep (tests/unit/attach/ssdeep_test.cpp).
# libcld2_full.so holds only the larger n-gram tables; the detector code is in libcld2.so.
find_library(CLD2_LIBRARY NAMES cld2 REQUIRED)
find_path(CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
add_library(cld2 UNKNOWN IMPORTED)
set_target_properties(cld2 PROPERTIES IMPORTED_LOCATION ${CLD2_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CLD2_INCLUDE_DIR})

find_library(FUZZY_LIBRARY NAMES fuzzy REQUIRED)
find_path(FUZZY_INCLUDE_DIR fuzzy.h REQUIRED)
add_library(fuzzy UNKNOWN IMPORTED)
set_target_properties(fuzzy PROPERTIES IMPORTED_LOCATION ${FUZZY_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${FUZZY_INCLUDE_DIR})
