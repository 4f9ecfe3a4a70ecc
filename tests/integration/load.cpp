#include "load.hpp"

#include <algorithm>
#include <iterator>

#include "server_process.hpp"

namespace ocl::integration {

PageLoad::PageLoad(std::uint16_t port, std::vector<std::string> pages, int clients)
    : port_(port), pages_(std::move(pages)) {
  for (int client = 0; client < clients; ++client) {
    threads_.emplace_back([this, client] { run(static_cast<std::size_t>(client)); });
  }
}

PageLoad::~PageLoad() {
  stop();
}

void PageLoad::stop() {
  running_ = false;
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void PageLoad::run(std::size_t client) {
  for (std::size_t round = client; running_; ++round) {
    LoadSample sample{std::chrono::steady_clock::now()};
    try {
      sample.status = http_request(port_, "GET", pages_[round % pages_.size()], {}, {}, 5s).result_int();
    } catch (const std::exception&) {
      sample.status = 0;
    }
    sample.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sample.sent);
    const std::scoped_lock lock(mutex_);
    samples_.push_back(sample);
  }
}

std::vector<LoadSample> PageLoad::sent_between(std::chrono::steady_clock::time_point from,
                                               std::chrono::steady_clock::time_point to) const {
  const std::scoped_lock lock(mutex_);
  std::vector<LoadSample> picked;
  std::ranges::copy_if(samples_, std::back_inserter(picked),
                       [&](const LoadSample& sample) { return sample.sent >= from && sample.sent < to; });
  return picked;
}

std::size_t count_status(const std::vector<LoadSample>& samples, unsigned status) {
  return static_cast<std::size_t>(std::ranges::count(samples, status, &LoadSample::status));
}

std::chrono::milliseconds slowest(const std::vector<LoadSample>& samples) {
  std::chrono::milliseconds longest{};
  for (const auto& sample : samples) {
    longest = std::max(longest, sample.took);
  }
  return longest;
}

}  // namespace ocl::integration
