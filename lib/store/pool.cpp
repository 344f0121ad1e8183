#include "store/pool.hpp"

#include <numeric>

namespace renkei::store {

Pool::Pool(std::unique_ptr<sql::Connection> dedicated,
           std::vector<std::unique_ptr<sql::Connection>> shared, bool writes_on_dedicated)
    : dedicated_(std::move(dedicated)),
      shared_(std::move(shared)),
      writes_on_dedicated_(writes_on_dedicated && dedicated_ != nullptr),
      dialect_(dedicated_ ? dedicated_->dialect() : shared_.front()->dialect()),
      free_(shared_.size()) {
  std::iota(free_.begin(), free_.end(), std::size_t{0});
}

Pool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->give_back(shared_, index_);
}

Pool::Lease Pool::take_dedicated() {
  std::unique_lock lock(dedicated_mu_);
  dedicated_free_.wait(lock, [this] { return !dedicated_busy_; });
  dedicated_busy_ = true;
  return Lease(this, dedicated_.get(), false, 0);
}

Pool::Lease Pool::take_shared() {
  std::unique_lock lock(mu_);
  shared_free_.wait(lock, [this] { return !free_.empty(); });
  const std::size_t i = free_.back();
  free_.pop_back();
  return Lease(this, shared_[i].get(), true, i);
}

void Pool::give_back(bool shared, std::size_t index) {
  if (shared) {
    {
      const std::lock_guard lock(mu_);
      free_.push_back(index);
    }
    shared_free_.notify_one();
    return;
  }
  {
    const std::lock_guard lock(dedicated_mu_);
    dedicated_busy_ = false;
  }
  dedicated_free_.notify_one();
}

Pool::Lease Pool::write() {
  return writes_on_dedicated_ ? take_dedicated() : take_shared();
}

Pool::Lease Pool::read() {
  return shared_.empty() ? take_dedicated() : take_shared();
}

Pool::Lease Pool::queue() {
  return dedicated_ ? take_dedicated() : take_shared();
}

}  // namespace renkei::store
