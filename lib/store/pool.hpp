// The store's connections (internal to the store module): a small pool, so that a long read (a
// quarterly aggregate, a page of a million objects) does not stall every other request.
//
// Three kinds of lease, each exclusive while held:
//   write()  SQLite: the one writer connection (SQLite has one writer at a time anyway; a single
//            writer per process never waits on its own busy lock). PostgreSQL: any connection.
//   read()   SQLite: one of the reader connections (WAL: they read while the writer commits),
//            or the writer when the pool has no readers. PostgreSQL: any connection.
//   queue()  the connection that claims analysis work and ends claims: on PostgreSQL a claim is an
//            advisory lock held by the connection that made it, so claim and release must use the
//            same one. SQLite: the writer. PostgreSQL: a connection kept for it (or the only one).
// Thread-safe. A lease is returned when it goes out of scope.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sql.hpp"

namespace renkei::store {

class Pool {
 public:
  class Lease {
   public:
    Lease(Lease&& o) noexcept
        : pool_(o.pool_), conn_(o.conn_), shared_(o.shared_), index_(o.index_) {
      o.pool_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    sql::Connection& operator*() const { return *conn_; }
    sql::Connection* operator->() const { return conn_; }

   private:
    friend class Pool;
    Lease(Pool* pool, sql::Connection* conn, bool shared, std::size_t index)
        : pool_(pool), conn_(conn), shared_(shared), index_(index) {}
    Pool* pool_;
    sql::Connection* conn_;
    bool shared_;        // from the shared set (returned to it), else the dedicated connection
    std::size_t index_;  // in the shared set
  };

  // `dedicated` is the writer (SQLite) or the claims' connection (PostgreSQL); it may be null when
  // the pool has one connection, which is then the only shared one. `writes_on_dedicated`: SQLite.
  Pool(std::unique_ptr<sql::Connection> dedicated,
       std::vector<std::unique_ptr<sql::Connection>> shared, bool writes_on_dedicated);

  Lease write();
  Lease read();
  Lease queue();
  sql::Dialect dialect() const { return dialect_; }

 private:
  Lease take_dedicated();
  Lease take_shared();
  void give_back(bool shared, std::size_t index);

  std::unique_ptr<sql::Connection> dedicated_;
  std::vector<std::unique_ptr<sql::Connection>> shared_;
  bool writes_on_dedicated_;
  sql::Dialect dialect_;

  std::mutex dedicated_mu_;  // held by the dedicated connection's lease
  bool dedicated_busy_ = false;
  std::condition_variable dedicated_free_;
  std::mutex mu_;  // guards free_
  std::condition_variable shared_free_;
  std::vector<std::size_t> free_;  // indices of shared connections not leased
};

}  // namespace renkei::store
