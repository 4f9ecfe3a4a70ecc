#pragma once
/// @file
/// @brief The lettings app's models: Address and Letting.

#include <cstdint>
#include <string>

#include "db/model.hpp"

namespace ocl::lettings {

/// @brief The description of lettings.Address (table lettings_address).
const db::Model& address_model();
/// @brief The description of lettings.Letting (table lettings_letting).
const db::Model& letting_model();

/// @brief A postal address, as the public letting page shows it.
struct Address {
  std::int64_t id = 0;
  std::int64_t number = 0;
  std::string street;
  std::string city;
  std::string state;
  std::int64_t zip_code = 0;
  std::string country_iso_code;
};

/// @brief A letting with its address, as the public pages show it.
struct Letting {
  std::int64_t id = 0;
  std::string title;
  Address address;
};

}  // namespace ocl::lettings
