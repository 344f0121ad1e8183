#include "store/pg_db.hpp"

#include "store/drivers.hpp"

#include <cstring>
#include <vector>

namespace renkei::store::pg {
namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;

struct Clear {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, Clear>;

std::string first_line(const char* msg) {
  std::string s = msg != nullptr ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The store's error for a failed statement, by SQLSTATE class: 23 (integrity) -> kConflict;
// 08 (connection), 40 (serialization, deadlock), 53 (resources), 57 (shutdown) -> kUnavailable;
// 22 (data) -> kInvalidArgument; 58 (system I/O) -> kIo; the rest kInternal.
Error error_of(const PGresult* r, PGconn* c, std::string_view what) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string msg = std::string(what) + ": " +
                          first_line(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c));
  const std::string cls =
      state != nullptr ? std::string(state, std::min<std::size_t>(2, std::strlen(state))) : "08";
  if (cls == "23")
    return Error{Errc::kConflict, msg, "an object with this name or content exists already"};
  if (cls == "08" || cls == "40" || cls == "53" || cls == "57")
    return Error{Errc::kUnavailable, msg,
                 "the PostgreSQL server is unreachable or busy; retry in a moment"};
  if (cls == "22")
    return Error{Errc::kInvalidArgument, msg,
                 "a value does not fit its column (text must be UTF-8 without NUL)"};
  if (cls == "58") return Error{Errc::kIo, msg, "check the PostgreSQL server's disk and logs"};
  return Error{Errc::kInternal, msg, ""};
}

void ignore_notice(void*, const char*) {}  // "relation exists, skipping" and the like

// bytea in text form: "\x" followed by hex digits.
std::string unhex(const char* v, int len) {
  if (len < 2 || v[0] != '\\' || v[1] != 'x') return std::string(v, static_cast<std::size_t>(len));
  auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out;
  out.resize(static_cast<std::size_t>(len - 2) / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(nib(v[2 + 2 * i]) << 4 | nib(v[3 + 2 * i]));
  return out;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (opts == nullptr) {
    std::string msg = first_line(err);
    PQfreemem(err);
    return make_error(
        Errc::kInvalidArgument, "the PostgreSQL connection string is malformed: " + msg,
        "write postgresql://USER@HOST:PORT/DBNAME or host=HOST port=PORT dbname=DBNAME user=USER");
  }
  PQconninfoFree(opts);
  std::unique_ptr<PGconn, Finish> c(PQconnectdb(conninfo.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    return make_error(Errc::kUnavailable,
                      "cannot connect to PostgreSQL: " +
                          first_line(c ? PQerrorMessage(c.get()) : "out of memory"),
                      "check that the server runs and accepts this user (pg_isready, psql with the "
                      "same connection string)");
  PQsetNoticeProcessor(c.get(), ignore_notice, nullptr);
  if (PQsetClientEncoding(c.get(), "UTF8") != 0)
    return make_error(Errc::kUnavailable, "PostgreSQL refused UTF-8 as the client encoding",
                      "create the database with ENCODING 'UTF8'");
  return std::unique_ptr<Connection>(new Connection(c.release()));
}

Result<void> Connection::ensure_connected() {
  if (PQstatus(conn_.get()) == CONNECTION_OK) return {};
  if (in_transaction_)
    return make_error(Errc::kUnavailable,
                      "the connection to PostgreSQL was lost during a transaction", "retry");
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    return make_error(
        Errc::kUnavailable,
        "lost the connection to PostgreSQL: " + first_line(PQerrorMessage(conn_.get())),
        "check that the server runs (pg_isready); renkei reconnects by itself");
  PQsetClientEncoding(conn_.get(), "UTF8");
  return {};
}

Result<sql::Rows> Connection::run(std::string_view sql, const sql::Param* params,
                                  std::size_t count) {
  if (auto r = ensure_connected(); !r) return tl::unexpected(r.error());
  const std::size_t n = count;
  std::vector<Oid> types(n);
  std::vector<std::string> ints(n);
  std::vector<const char*> values(n);
  std::vector<int> lengths(n), formats(n);
  for (std::size_t i = 0; i < n; ++i) {
    const sql::Param& p = params[i];
    switch (p.type()) {
      case sql::Param::Type::kNull:
        values[i] = nullptr;
        break;
      case sql::Param::Type::kInt:
        types[i] = kInt8Oid;
        ints[i] = std::to_string(p.int64());
        values[i] = ints[i].c_str();
        break;
      case sql::Param::Type::kText:
        // PostgreSQL text cannot hold NUL; say so rather than cut the value silently.
        if (p.text().find('\0') != std::string_view::npos)
          return make_error(Errc::kInvalidArgument, "a text value contains a NUL character",
                            "remove U+0000 from the input");
        types[i] = kTextOid;
        values[i] = p.text().data() ? p.text().data() : "";
        lengths[i] = static_cast<int>(p.text().size());
        formats[i] = 1;  // binary text is the bytes themselves: no terminator needed
        break;
      case sql::Param::Type::kBytes:
        types[i] = kByteaOid;
        values[i] = p.text().data() ? p.text().data() : "";
        lengths[i] = static_cast<int>(p.text().size());
        formats[i] = 1;
        break;
    }
  }
  const std::string text(sql);
  ResultPtr res(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(n), types.data(),
                             values.data(), lengths.data(), formats.data(), 0));
  const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    return tl::unexpected(error_of(res.get(), conn_.get(), "running a statement"));
  sql::Rows rows;
  const int nrows = PQntuples(res.get()), ncols = PQnfields(res.get());
  for (int r = 0; r < nrows; ++r) {
    std::vector<std::optional<std::string>> row(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res.get(), r, c)) continue;
      const char* v = PQgetvalue(res.get(), r, c);
      const int len = PQgetlength(res.get(), r, c);
      row[static_cast<std::size_t>(c)] = PQftype(res.get(), c) == kByteaOid
                                             ? unhex(v, len)
                                             : std::string(v, static_cast<std::size_t>(len));
    }
    rows.add_row(std::move(row));
  }
  const char* tuples = PQcmdTuples(res.get());
  if (tuples != nullptr && *tuples != '\0') rows.changed = std::strtoll(tuples, nullptr, 10);
  return rows;
}

Result<void> Connection::exec_script(std::string_view sql) {
  if (auto r = ensure_connected(); !r) return r;
  const std::string text(sql);
  ResultPtr res(PQexec(conn_.get(), text.c_str()));
  const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    return tl::unexpected(error_of(res.get(), conn_.get(), "executing SQL"));
  return {};
}

Result<void> Connection::begin() {
  if (auto r = exec_script("BEGIN"); !r) return r;
  in_transaction_ = true;
  return {};
}

Result<void> Connection::commit() {
  auto r = exec_script("COMMIT");
  in_transaction_ = false;  // after a failed COMMIT the transaction is over too (rolled back)
  return r;
}

void Connection::rollback() {
  in_transaction_ = false;
  if (PQstatus(conn_.get()) == CONNECTION_OK) ResultPtr(PQexec(conn_.get(), "ROLLBACK"));
}

Result<void> Connection::backup_to(const std::string& /*path*/) {
  return make_error(Errc::kInvalidArgument, "renkei backs up its SQLite store only",
                    "back up a PostgreSQL store with pg_dump (and restore it with pg_restore)");
}

Result<std::unique_ptr<sql::Connection>> connect(const std::string& conninfo) {
  RENKEI_TRY(c, Connection::open(conninfo));
  return std::unique_ptr<sql::Connection>(std::move(c));
}

}  // namespace renkei::store::pg
