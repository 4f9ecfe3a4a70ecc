// Micro-benchmarks for each step a public page takes, and for the whole handler.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>

#include "app/application.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "lettings/repository.hpp"
#include "lettings/views.hpp"
#include "templates/engine.hpp"

namespace {

using namespace ocl;

/// A private copy of the Django database, shared by every benchmark of this process; or the database
/// file named by OCL_BENCH_DATABASE (used in place, e.g. one filled by `oc-lettings generate`).
const std::string& database_copy() {
  static const std::string path = [] {
    if (const char* chosen = std::getenv("OCL_BENCH_DATABASE"); chosen != nullptr && *chosen != '\0') {
      return std::string(chosen);
    }
    auto target = std::filesystem::temp_directory_path() / ("ocl-bench-" + std::to_string(::getpid()) + ".sqlite3");
    std::filesystem::copy_file(OCL_DJANGO_DATABASE, target, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(target, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    return target.string();
  }();
  return path;
}

config::Settings make_settings(const std::string& page_cache_max_age_ms) {
  return config::load_settings({{"SECRET_KEY", "bench"},
                                {"ALLOWED_HOSTS", "bench"},
                                {"DATABASE_URL", "sqlite:///" + database_copy()},
                                {"STATIC_ROOT", std::string(OCL_SOURCE_DIR) + "/static"},
                                {"LOG_LEVEL", "ERROR"},
                                {"PAGE_CACHE_MAX_AGE_MS", page_cache_max_age_ms}});
}

/// The site as configured by default: public pages come from the page cache once rendered.
app::Application& application() {
  static const config::Settings settings = make_settings("3600000");
  static app::Application instance{settings};
  return instance;
}

/// The site with the page cache off: every request reads the database and renders.
app::Application& rendering_application() {
  static const config::Settings settings = make_settings("0");
  static app::Application instance{settings};
  return instance;
}

void BM_RouteLettingDetail(benchmark::State& state) {
  const auto& router = application().router();
  for (auto _ : state) {
    auto match = router.match(http::Method::get, "/lettings/42/");
    benchmark::DoNotOptimize(match);
  }
}
BENCHMARK(BM_RouteLettingDetail);

void BM_ReverseProfileUrl(benchmark::State& state) {
  const auto& router = application().router();
  for (auto _ : state) {
    auto url = router.reverse("profiles:profile", {{"username", "HeadlinesGazer"}});
    benchmark::DoNotOptimize(url);
  }
}
BENCHMARK(BM_ReverseProfileUrl);

void BM_EscapeHostileTitle(benchmark::State& state) {
  const std::string hostile(256, '<');
  for (auto _ : state) {
    auto escaped = kainjow::mustache::html_escape(hostile);
    benchmark::DoNotOptimize(escaped);
  }
}
BENCHMARK(BM_EscapeHostileTitle);

void BM_QueryLettingList(benchmark::State& state) {
  auto connection = application().database().lease();
  for (auto _ : state) {
    auto lettings = lettings::LettingRepository{*connection}.list(site::items_per_page + 1, 0);
    benchmark::DoNotOptimize(lettings);
  }
}
BENCHMARK(BM_QueryLettingList);

/// A page of `count` lettings, as the list view builds it.
site::Page<lettings::LettingSummary> letting_page(std::int64_t count) {
  site::Page<lettings::LettingSummary> page;
  for (std::int64_t id = 1; id <= count; ++id) {
    page.items.push_back({id, "Letting number " + std::to_string(id)});
  }
  return page;
}

void BM_LettingListData(benchmark::State& state) {
  const auto page = letting_page(state.range(0));
  for (auto _ : state) {
    auto data = lettings::index_data(page, application().router());
    benchmark::DoNotOptimize(data);
  }
}
BENCHMARK(BM_LettingListData)->Arg(6)->Arg(site::items_per_page);

void BM_RenderLettingList(benchmark::State& state) {
  const templates::Engine engine;
  const auto data = lettings::index_data(letting_page(state.range(0)), application().router());
  for (auto _ : state) {
    auto html = engine.render("lettings/index", data);
    benchmark::DoNotOptimize(html);
  }
}
BENCHMARK(BM_RenderLettingList)->Arg(6)->Arg(site::items_per_page);

void BM_HandleRequest(benchmark::State& state, const char* target) {
  http::Request request{http::Method::get, target, 11};
  request.set(http::HeaderField::host, "bench");
  for (auto _ : state) {
    auto response = rendering_application().handle(request, "127.0.0.1");
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK_CAPTURE(BM_HandleRequest, home, "/");
BENCHMARK_CAPTURE(BM_HandleRequest, lettings, "/lettings/");
BENCHMARK_CAPTURE(BM_HandleRequest, letting, "/lettings/1/");
BENCHMARK_CAPTURE(BM_HandleRequest, profiles, "/profiles/");
BENCHMARK_CAPTURE(BM_HandleRequest, profile, "/profiles/HeadlinesGazer/");
BENCHMARK_CAPTURE(BM_HandleRequest, static_css, "/static/css/site.css");

/// A public page answered from the page cache on the I/O thread (the whole pipeline, no database; the
/// answer shares the stored body).
void BM_AnswerFromPageCache(benchmark::State& state, const char* target) {
  http::Request request{http::Method::get, target, 11};
  request.set(http::HeaderField::host, "bench");
  application().handle(request, "127.0.0.1");  // renders and keeps it
  for (auto _ : state) {
    auto response = application().answer_at_once(request, "127.0.0.1");
    if (!response) {
      state.SkipWithError("the page was not cached");
      break;
    }
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK_CAPTURE(BM_AnswerFromPageCache, lettings, "/lettings/");
BENCHMARK_CAPTURE(BM_AnswerFromPageCache, letting, "/lettings/1/");
BENCHMARK_CAPTURE(BM_AnswerFromPageCache, profiles, "/profiles/");

}  // namespace
