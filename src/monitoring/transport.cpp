#include "monitoring/transport.hpp"

#include <algorithm>
#include <cctype>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "monitoring/util.hpp"

namespace ocl::monitoring {
namespace {

using Clock = std::chrono::steady_clock;

struct HeaderCapture {
  std::string retry_after;
  std::string rate_limits;
};

std::string_view trimmed_value(std::string_view line, std::size_t colon) {
  auto value = line.substr(colon + 1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())) != 0) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())) != 0) value.remove_suffix(1);
  return value;
}

bool header_is(std::string_view line, std::string_view name) {
  return line.size() > name.size() && line[name.size()] == ':' &&
         std::ranges::equal(line.substr(0, name.size()), name,
                            [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  auto* capture = static_cast<HeaderCapture*>(user);
  if (header_is(line, "retry-after")) {
    capture->retry_after = trimmed_value(line, line.find(':'));
  } else if (header_is(line, "x-sentry-rate-limits")) {
    capture->rate_limits = trimmed_value(line, line.find(':'));
  }
  return size * count;
}

std::size_t discard_body(char* /*data*/, std::size_t size, std::size_t count, void* /*user*/) {
  return size * count;
}

int on_progress(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
  return static_cast<std::atomic<bool>*>(user)->load() ? 1 : 0;
}

/// Monitoring yields to serving: at nice 19 the sender gets little of a core that requests keep
/// busy, so on a saturated core the queue fills and transactions back off, their drops counted,
/// rather than pages slowing down (at nice 15, 8 to 14 % fewer requests per second; at nice 19,
/// about 1 %). The price: on a machine whose cores other work keeps busy, delivery lags, and the
/// queue's last places are kept for errors and log events. SCHED_IDLE would starve it outright.
void yield_to_serving() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
}

}  // namespace

Transport::Transport(TransportOptions options) : options_(std::move(options)), curl_(curl_easy_init()) {
  sender_ = std::thread([this] { run(); });
}

Transport::~Transport() {
  shutdown(std::chrono::milliseconds(0));
}

bool Transport::enqueue(Envelope envelope) {
  {
    const std::scoped_lock lock(mutex_);
    if (!stopping_ && queue_.size() < options_.capacity) {
      queue_.push_back(std::move(envelope));
      queued_.store(queue_.size(), std::memory_order_relaxed);
      wake_.notify_one();
      return true;
    }
  }
  count_dropped(envelope, "queue_overflow");
  return false;
}

bool Transport::crowded() const {
  return queued() + options_.reserved >= options_.capacity;
}

bool Transport::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

void Transport::shutdown(std::chrono::milliseconds timeout) {
  if (!sender_.joinable()) {
    return;
  }
  flush(timeout);
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  abort_ = true;
  wake_.notify_all();
  sender_.join();
  curl_easy_cleanup(curl_);
  curl_ = nullptr;
}

void Transport::on_tick(std::function<void()> tick) {
  const std::scoped_lock lock(mutex_);
  tick_ = std::move(tick);
}

void Transport::run() {
  const InsideClient inside;  // the sender's own log records never become events
  pthread_setname_np(pthread_self(), "sentry-sender");
  yield_to_serving();
  auto next_tick = Clock::now() + options_.tick_interval;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_until(lock, next_tick, [this] { return stopping_ || !queue_.empty(); });
    if (Clock::now() >= next_tick && tick_) {
      next_tick = Clock::now() + options_.tick_interval;
      lock.unlock();
      tick_();
      lock.lock();
    }
    if (stopping_) {
      return;
    }
    if (queue_.empty()) {
      continue;
    }
    auto envelope = std::move(queue_.front());
    queue_.pop_front();
    queued_.store(queue_.size(), std::memory_order_relaxed);
    busy_ = true;
    lock.unlock();
    deliver(envelope);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) {
      idle_.notify_all();
    }
  }
}

void Transport::deliver(Envelope& envelope) {
  try {
    if (envelope.prepare) {
      envelope.prepare(envelope);
    }
    if (!options_.spotlight_url.empty() && !envelope.items.empty()) {
      post(options_.spotlight_url, serialize(envelope), false);
    }
    if (options_.url.empty()) {
      return;  // Spotlight only
    }
    attach_client_report(envelope);
    if (!drop_limited_items(envelope)) {
      return;
    }
    send_with_retries(envelope, gzip(serialize(envelope)));
  } catch (const std::exception& error) {
    debug(std::string("envelope not sent: ") + error.what());
    count_dropped(envelope, "internal_sdk_error");
  }
}

bool Transport::drop_limited_items(Envelope& envelope) {
  const auto now = Clock::now();
  const std::scoped_lock lock(mutex_);
  std::erase_if(envelope.items, [&](const EnvelopeItem& item) {
    const auto category = category_of(item.type);
    if (!limits_.limited(category, now)) {
      return false;
    }
    if (item.type != "client_report") {
      reports_.record("ratelimit_backoff", category);
    }
    return true;
  });
  if (envelope.items.empty()) {
    debug("envelope dropped: rate limited");
  }
  return !envelope.items.empty();
}

void Transport::attach_client_report(Envelope& envelope) {
  if (auto report = reports_.take()) {
    envelope.items.push_back({"client_report", std::move(*report)});
  }
}

void Transport::send_with_retries(const Envelope& envelope, const std::string& body) {
  auto delay = options_.first_backoff;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    const auto answer = post(options_.url, body, true);
    {
      const std::scoped_lock lock(mutex_);
      limits_.update(answer.status, answer.retry_after, answer.rate_limits, Clock::now());
    }
    if (answer.status >= 200 && answer.status < 300) {
      ++delivered_;
      debug("envelope sent");
      return;
    }
    if (answer.status == 429 || (answer.status >= 400 && answer.status < 500)) {
      debug("envelope refused with status " + std::to_string(answer.status));
      if (answer.status != 429) {
        count_dropped(envelope, "send_error");
      }
      return;
    }
    if (attempt == options_.max_attempts || !wait_backoff(delay)) {
      break;
    }
    delay *= 2;
  }
  debug("envelope dropped after network errors");
  count_dropped(envelope, "network_error");
}

Transport::Answer Transport::post(const std::string& url, const std::string& body, bool compressed) {
  auto* curl = static_cast<CURL*>(curl_);
  HeaderCapture headers;
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/x-sentry-envelope");
  list = curl_slist_append(list, ("X-Sentry-Auth: " + options_.auth).c_str());
  if (compressed) {
    list = curl_slist_append(list, "Content-Encoding: gzip");
  }
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &abort_);
  Answer answer;
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    answer.retry_after = std::move(headers.retry_after);
    answer.rate_limits = std::move(headers.rate_limits);
  }
  curl_slist_free_all(list);
  return answer;
}

bool Transport::wait_backoff(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void Transport::count_dropped(const Envelope& envelope, std::string_view reason) {
  if (envelope.items.empty() && !envelope.category.empty()) {
    reports_.record(reason, envelope.category);
  }
  for (const auto& item : envelope.items) {
    if (item.type != "client_report") {
      reports_.record(reason, category_of(item.type));
    }
  }
}

void Transport::debug(std::string_view message) const {
  if (options_.debug) {
    const InsideClient inside;
    spdlog::info("sentry: {}", message);
  }
}

}  // namespace ocl::monitoring
