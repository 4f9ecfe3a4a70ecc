#pragma once
/// @file
/// @brief Clients that request pages in a loop while a test breaks something, recording every answer.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ocl::integration {

/// @brief One answer: when its request was sent, its status (0 when the connection failed) and how long it took.
struct LoadSample {
  std::chrono::steady_clock::time_point sent;
  unsigned status = 0;
  std::chrono::milliseconds took{};
};

/// @brief `clients` threads requesting `pages` in turn from 127.0.0.1:port, each request on a new connection.
class PageLoad {
 public:
  PageLoad(std::uint16_t port, std::vector<std::string> pages, int clients);
  ~PageLoad();
  PageLoad(const PageLoad&) = delete;
  PageLoad& operator=(const PageLoad&) = delete;

  /// @brief Stops the clients and waits for their last answers.
  void stop();
  /// @brief The answers to requests sent in [from, to).
  [[nodiscard]] std::vector<LoadSample> sent_between(std::chrono::steady_clock::time_point from,
                                                     std::chrono::steady_clock::time_point to) const;

 private:
  void run(std::size_t client);

  std::uint16_t port_;
  std::vector<std::string> pages_;
  std::atomic<bool> running_{true};
  mutable std::mutex mutex_;
  std::vector<LoadSample> samples_;
  std::vector<std::thread> threads_;
};

/// @brief How many samples have `status`.
std::size_t count_status(const std::vector<LoadSample>& samples, unsigned status);

/// @brief The longest time any of the samples took.
std::chrono::milliseconds slowest(const std::vector<LoadSample>& samples);

}  // namespace ocl::integration
