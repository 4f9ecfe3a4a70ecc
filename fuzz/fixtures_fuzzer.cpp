// Django JSON fixtures (loaddata) on a database holding the demo data: any text either loads or is
// refused with a FixtureError that rolls everything back; whatever loads must dump (dumpdata) to a
// fixture that loads again. Every input starts from the same data.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "db/fixtures.hpp"
#include "fuzz/site.hpp"

namespace {

ocl::fuzz::SandboxConnection& database() {
  static auto* connection = [] {
    spdlog::set_level(spdlog::level::off);
    return new ocl::fuzz::SandboxConnection(ocl::fuzz::demo_database());
  }();
  return *connection;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  database();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto& connection = database();
  connection.start();
  try {
    ocl::db::load(connection, text);
  } catch (const ocl::db::FixtureError&) {
    connection.reset();
    return 0;  // refused, and rolled back (the next load would fail to begin otherwise)
  }
  const auto dumped = ocl::db::dump(connection, {}, std::nullopt);
  try {
    ocl::db::load(connection, dumped);
  } catch (const ocl::db::FixtureError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    ocl::fuzz::fail("dumpdata's output of a loaded fixture does not load again");
  }
  connection.reset();
  return 0;
}
