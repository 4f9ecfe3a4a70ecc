#include "config/version.hpp"

namespace ocl::config {

// OCL_VERSION is defined for this file alone, so a new tag recompiles one file.
std::string_view version() {
  return OCL_VERSION;
}

}  // namespace ocl::config
