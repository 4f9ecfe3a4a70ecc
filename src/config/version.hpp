#pragma once
/// @file
/// @brief The version this build reports.

#include <string_view>

namespace ocl::config {

/// @brief The build's version: the project's, or the release pipeline's tag (CMake's OCL_VERSION).
std::string_view version();

}  // namespace ocl::config
