#include "monitoring/envelope.hpp"

#include <charconv>
#include <stdexcept>

#include <zlib.h>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "http/text.hpp"
#include "monitoring/util.hpp"

namespace ocl::monitoring {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = text.find(separator);
    parts.push_back(http::trim(text.substr(0, at)));
    if (at == std::string_view::npos) {
      return parts;
    }
    text.remove_prefix(at + 1);
  }
}

std::optional<long> seconds(std::string_view text) {
  long value = 0;
  const auto trimmed = http::trim(text);
  const auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (error != std::errc{} || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string serialize(const Envelope& envelope) {
  auto text = boost::json::serialize(envelope.header);
  text += '\n';
  for (const auto& item : envelope.items) {
    const auto payload = boost::json::serialize(item.payload);
    boost::json::object header{{"type", item.type}, {"length", payload.size()}};
    if (item.type != "client_report" && item.type != "sessions") {
      header["content_type"] = "application/json";
    }
    text += boost::json::serialize(header);
    text += '\n';
    text += payload;
    text += '\n';
  }
  return text;
}

std::string_view category_of(std::string_view item_type) {
  if (item_type == "event") return "error";
  if (item_type == "sessions" || item_type == "session") return "session";
  if (item_type == "client_report") return "internal";
  return item_type;  // transaction, profile, attachment, ...
}

namespace {

/// One deflate state per thread, reset between bodies: setting one up allocates and clears about
/// 256 KiB, which would cost more than compressing a typical envelope.
class Compressor {
 public:
  Compressor() {
    constexpr int gzip_window = 15 + 16;
    if (deflateInit2(&stream_, Z_BEST_SPEED, Z_DEFLATED, gzip_window, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("zlib: deflateInit2 failed");
    }
  }
  ~Compressor() { deflateEnd(&stream_); }
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;

  std::string compress(std::string_view data) {
    deflateReset(&stream_);
    std::string output(deflateBound(&stream_, data.size()) + 32, '\0');
    // zlib's API is not const-correct: it never writes through next_in.
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream_.avail_in = static_cast<uInt>(data.size());
    stream_.next_out = reinterpret_cast<Bytef*>(output.data());
    stream_.avail_out = static_cast<uInt>(output.size());
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) {
      throw std::runtime_error("zlib: deflate did not finish");
    }
    output.resize(stream_.total_out);
    return output;
  }

 private:
  z_stream stream_{};
};

}  // namespace

std::string gzip(std::string_view data) {
  thread_local Compressor compressor;
  return compressor.compress(data);
}

bool RateLimits::update(long status, std::string_view retry_after, std::string_view sentry_limits,
                        Clock::time_point now) {
  if (!http::trim(sentry_limits).empty()) {
    // "60:transaction;error:organization:reason, 2700::key": seconds, categories (empty = all), then details.
    bool any = false;
    for (const auto limit : split(sentry_limits, ',')) {
      const auto fields = split(limit, ':');
      const auto delay = seconds(fields.front());
      if (!delay) {
        continue;
      }
      const auto until = now + std::chrono::seconds(*delay);
      const auto categories = fields.size() > 1 ? fields[1] : std::string_view{};
      for (const auto category : split(categories, ';')) {
        pause(std::string(category), until);
      }
      any = true;
    }
    return any;
  }
  if (status == 429) {
    pause("", now + std::chrono::seconds(seconds(retry_after).value_or(60)));
    return true;
  }
  return false;
}

bool RateLimits::limited(std::string_view category, Clock::time_point now) const {
  const auto expired = [&](std::string_view key) {
    const auto found = until_.find(key);
    return found == until_.end() || found->second <= now;
  };
  return !expired("") || !expired(category);
}

void RateLimits::pause(const std::string& category, Clock::time_point until) {
  auto& slot = until_[category];
  slot = std::max(slot, until);
}

void ClientReports::record(std::string_view reason, std::string_view category, std::uint64_t quantity) {
  const std::scoped_lock lock(mutex_);
  pending_[{std::string(reason), std::string(category)}] += quantity;
  total_ += quantity;
}

std::optional<boost::json::object> ClientReports::take() {
  const std::scoped_lock lock(mutex_);
  if (pending_.empty()) {
    return std::nullopt;
  }
  boost::json::array discarded;
  for (const auto& [key, quantity] : pending_) {
    discarded.push_back({{"reason", key.first}, {"category", key.second}, {"quantity", quantity}});
  }
  pending_.clear();
  return boost::json::object{{"timestamp", unix_seconds()}, {"discarded_events", std::move(discarded)}};
}

std::uint64_t ClientReports::total() const {
  const std::scoped_lock lock(mutex_);
  return total_;
}

}  // namespace ocl::monitoring
