#include "cli/generate.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <ostream>
#include <vector>

#include "admin/admin_log.hpp"
#include "auth/passwords.hpp"
#include "cli/command.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"

namespace ocl::cli {
namespace {

// The made-up values: every row's values follow from its id, so a run can be reproduced.
constexpr std::array first_names{"Ada",   "Ben",   "Carla", "Dev",   "Elena", "Farid", "Grace", "Hugo",
                                 "Ines",  "Jamal", "Keiko", "Liam",  "Maya",  "Nils",  "Olga",  "Pablo",
                                 "Quinn", "Rosa",  "Sam",   "Tara",  "Umar",  "Vera",  "Wes",   "Xena",
                                 "Yusuf", "Zelda", "Aiko",  "Bruno", "Chloe", "Diego", "Emma",  "Felix"};
constexpr std::array last_names{"Alvarez", "Brown",  "Chen",   "Dubois", "Evans",  "Fischer",  "Garcia", "Haddad",
                                "Ito",     "Jensen", "Kowal",  "Lopez",  "Moreau", "Nakamura", "Okafor", "Patel",
                                "Quist",   "Rossi",  "Silva",  "Tanaka", "Usman",  "Varga",    "Weber",  "Xu",
                                "Young",   "Zimmer", "Andrew", "Baker",  "Cruz",   "Diaz",     "Ellis",  "Ford"};
constexpr std::array favorite_cities{"Buenos Aires", "Barcelona", "Budapest", "Berlin",    "Lisbon", "Kyoto",
                                     "Montreal",     "Nairobi",   "Oslo",     "Prague",    "Quito",  "Reykjavik",
                                     "Seoul",        "Tunis",     "Valencia", "Wellington"};

struct Place {
  const char* city;
  const char* state;
};
constexpr std::array places{
    Place{"Brunswick", "GA"},  Place{"Willoughby", "OH"},  Place{"Newport News", "VA"}, Place{"Marquette", "MI"},
    Place{"Aliquippa", "PA"},  Place{"East Meadow", "NY"}, Place{"Joshua Tree", "CA"},  Place{"Sedona", "AZ"},
    Place{"Bar Harbor", "ME"}, Place{"Key West", "FL"},    Place{"Moab", "UT"},         Place{"Astoria", "OR"},
    Place{"Taos", "NM"},       Place{"Galveston", "TX"},   Place{"Asheville", "NC"},    Place{"Bozeman", "MT"},
    Place{"Savannah", "GA"},   Place{"Stowe", "VT"},       Place{"Aspen", "CO"},        Place{"Hilo", "HI"},
    Place{"Duluth", "MN"},     Place{"Nantucket", "MA"},   Place{"Charleston", "SC"},   Place{"Lake Placid", "NY"}};
constexpr std::array streets{"Bedford Street", "Military Street", "Wintergreen Avenue", "Harvard Street",
                             "Argyle Avenue",  "Ocean Drive",     "Maple Lane",         "Cedar Road",
                             "Lakeview Court", "Hillcrest Way",   "Sunset Boulevard",   "Pine Street",
                             "Orchard Lane",   "Mill Road",       "Harbor View",        "Willow Avenue"};
constexpr std::array title_moods{"Cosy",   "Sunny",  "Rustic", "Modern",   "Secluded", "Charming", "Spacious", "Quiet",
                                 "Bright", "Hidden", "Breezy", "Historic", "Little",   "Grand",    "Peaceful", "Wild"};
constexpr std::array title_homes{"Cottage",    "Cabin",     "Loft",   "Bungalow",  "Retreat", "Farmhouse",
                                 "Studio",     "Villa",     "Chalet", "Treehouse", "Dome",    "Barn",
                                 "Lake House", "Beach Hut", "Yurt",   "Haus"};

/// SplitMix64: a small, fast generator; one per row, seeded from the row's id.
class RowRandom {
 public:
  explicit RowRandom(std::int64_t id) : state_(static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ULL) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  /// A value in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
  }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[next() % N];
  }

 private:
  std::uint64_t state_;
};

std::int64_t next_id(db::Connection& connection, const std::string& table) {
  return connection.query("SELECT COALESCE(MAX(id), 0) FROM " + table).rows.at(0).integer(0) + 1;
}

int digit_count(std::int64_t value) {
  int digits = 1;
  for (; value >= 10; value /= 10) {
    ++digits;
  }
  return digits;
}

/// Bulk-load settings for this connection only: a large page cache, and (SQLite in WAL mode) no sync
/// at each batch's commit; the checkpoints still sync, so the file is never left inconsistent.
void prepare_for_bulk_insert(db::Connection& connection) {
  if (connection.dialect() == db::Dialect::sqlite) {
    connection.execute_script("PRAGMA cache_size=-262144; PRAGMA synchronous=NORMAL;");
  } else {
    // Commits stop waiting for the WAL flush; a crash may lose the last batches, never corrupt.
    connection.execute_script("SET synchronous_commit = off");
  }
}

/// Runs `insert_row(id_offset)` for offsets 0..count-1, `batch` of them per transaction.
template <typename InsertRow>
void insert_in_batches(db::Connection& connection, std::int64_t count, std::int64_t batch, InsertRow insert_row) {
  for (std::int64_t start = 0; start < count; start += batch) {
    const auto end = std::min(count, start + batch);
    db::in_transaction(connection, [&] {
      for (auto offset = start; offset < end; ++offset) {
        insert_row(offset);
      }
    });
  }
}

void require_schema(db::Connection& connection) {
  if (!db::has_schema(connection)) {
    throw GenerateError("the database has no schema yet: run `oc-lettings migrate` first");
  }
}

}  // namespace

std::optional<std::int64_t> parse_row_count(std::string_view text, std::int64_t max) {
  if (text.empty() || !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end || value > max) {
    return std::nullopt;
  }
  return value;
}

std::string generated_username(std::int64_t user_id, int width) {
  auto digits = std::to_string(user_id);
  if (std::cmp_less(digits.size(), width)) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return "member" + digits;
}

GeneratedRange generate_lettings(db::Connection& connection, std::int64_t count, std::int64_t batch) {
  require_schema(connection);
  prepare_for_bulk_insert(connection);
  const auto first_address = next_id(connection, "lettings_address");
  const GeneratedRange lettings{next_id(connection, "lettings_letting"), count};
  insert_in_batches(connection, count, batch, [&](std::int64_t offset) {
    const auto address_id = first_address + offset;
    const auto letting_id = lettings.first_id + offset;
    RowRandom random(letting_id);
    const auto& place = random.pick(places);
    const std::string city = place.city;
    connection.execute(
        "INSERT INTO lettings_address (id, number, street, city, state, zip_code, country_iso_code) "
        "VALUES (?, ?, ?, ?, ?, ?, 'USA')",
        {address_id, random.between(1, 9999), std::string(random.pick(streets)), city, std::string(place.state),
         random.between(10000, 99999)});
    const auto title = std::string(random.pick(title_moods)) + " " + random.pick(title_homes) + " in " + city + " #" +
                       std::to_string(letting_id);
    connection.execute("INSERT INTO lettings_letting (id, title, address_id) VALUES (?, ?, ?)",
                       {letting_id, title, address_id});
  });
  db::advance_id_counter(connection, "lettings_address");
  db::advance_id_counter(connection, "lettings_letting");
  return lettings;
}

GeneratedRange generate_profiles(db::Connection& connection, std::int64_t count, std::int64_t batch) {
  require_schema(connection);
  prepare_for_bulk_insert(connection);
  const auto first_user = next_id(connection, "auth_user");
  const GeneratedRange profiles{next_id(connection, "profiles_profile"), count};
  if (count == 0) {
    return profiles;
  }
  // One width for the whole run keeps the new usernames in id order: the UNIQUE index only grows at its end.
  const int width = std::max(7, digit_count(first_user + count - 1));
  const auto first_username = generated_username(first_user, width);
  const auto last_username = generated_username(first_user + count - 1, width);
  const auto taken = connection.query("SELECT COUNT(*) FROM auth_user WHERE username BETWEEN ? AND ?",
                                      {first_username, last_username});
  if (taken.rows.at(0).integer(0) > 0) {
    throw GenerateError("usernames between " + first_username + " and " + last_username +
                        " are already taken; nothing was generated");
  }
  const auto date_joined = admin::utc_now();
  insert_in_batches(connection, count, batch, [&](std::int64_t offset) {
    const auto user_id = first_user + offset;
    RowRandom random(user_id);
    const std::string first_name = random.pick(first_names);
    const std::string last_name = random.pick(last_names);
    auto username = generated_username(user_id, width);
    auto email = first_name + "." + last_name + "." + std::to_string(user_id) + "@example.com";
    std::ranges::transform(email, email.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
    connection.execute(
        "INSERT INTO auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, "
        "is_staff, is_active, date_joined) VALUES (?, ?, NULL, FALSE, ?, ?, ?, ?, FALSE, TRUE, ?)",
        {user_id, auth::make_unusable_password(), std::move(username), first_name, last_name, std::move(email),
         date_joined});
    connection.execute("INSERT INTO profiles_profile (id, favorite_city, user_id) VALUES (?, ?, ?)",
                       {profiles.first_id + offset, std::string(random.pick(favorite_cities)), user_id});
  });
  db::advance_id_counter(connection, "auth_user");
  db::advance_id_counter(connection, "profiles_profile");
  return profiles;
}

namespace {

struct GenerateArguments {
  std::int64_t lettings = default_generated_rows;
  std::int64_t profiles = default_generated_rows;
  std::int64_t batch = default_generate_batch;
};

/// Reads one count option; false (after telling why) when it is present but not a valid count.
bool read_count(const CommandContext& context, std::vector<std::string>& args, std::string_view name,
                std::int64_t minimum, std::int64_t& target) {
  const auto text = take_option(args, name);
  if (!text) {
    return true;
  }
  const auto value = parse_row_count(*text);
  if (!value || *value < minimum) {
    context.err << "generate: " << name << " needs a whole number from " << minimum << " to " << max_generated_rows
                << ", not '" << *text << "'\n";
    return false;
  }
  target = *value;
  return true;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run_generate(const CommandContext& context) {
  auto args = context.args;
  GenerateArguments options;
  if (!read_count(context, args, "--lettings", 0, options.lettings) ||
      !read_count(context, args, "--profiles", 0, options.profiles) ||
      !read_count(context, args, "--batch", 1, options.batch)) {
    return exit_usage;
  }
  if (!args.empty()) {
    context.err << "generate: unexpected argument '" << args.front() << "' (see oc-lettings generate --help)\n";
    return exit_usage;
  }
  try {
    auto database = db::open_database(context.settings.database, 1);
    auto connection = database->lease();
    require_schema(*connection);
    const auto started = std::chrono::steady_clock::now();
    const auto lettings = generate_lettings(*connection, options.lettings, options.batch);
    context.out << "Generated " << lettings.count << " lettings";
    if (lettings.count > 0) {
      context.out << " (ids " << lettings.first_id << " to " << lettings.last_id() << ")";
    }
    context.out << " in " << seconds_since(started) << " s\n" << std::flush;
    const auto profiles_started = std::chrono::steady_clock::now();
    const auto profiles = generate_profiles(*connection, options.profiles, options.batch);
    context.out << "Generated " << profiles.count << " profiles";
    if (profiles.count > 0) {
      context.out << " (ids " << profiles.first_id << " to " << profiles.last_id() << ")";
    }
    context.out << " in " << seconds_since(profiles_started) << " s\n";
    return exit_ok;
  } catch (const GenerateError& error) {
    context.err << "generate: " << error.what() << '\n';
    return exit_failure;
  } catch (const db::DatabaseError& error) {
    context.err << "generate failed: " << error.what() << " (rows of the batches committed before stay)\n";
    return exit_failure;
  }
}

}  // namespace

Command generate_command() {
  return Command{
      "generate",
      "generate [--lettings N] [--profiles N] [--batch N]",
      "Add N generated lettings (with addresses) and N users with profiles, for load tests (default 1000000 each, "
      "100000 rows a transaction)",
      run_generate,
  };
}

}  // namespace ocl::cli
