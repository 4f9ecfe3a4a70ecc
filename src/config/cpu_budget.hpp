#pragma once
/// @file
/// @brief How many cores the process may use: its CPU affinity and its container's CPU quota.

#include <optional>
#include <string_view>

namespace ocl::config {

/// @brief The whole cores a cgroup v2 `cpu.max` line ("QUOTA PERIOD" or "max PERIOD") allows, rounded
/// up; nullopt when it sets no quota or cannot be read.
std::optional<unsigned> cores_in_cpu_max(std::string_view cpu_max);

/// @brief The same for cgroup v1's `cpu.cfs_quota_us` (-1: no quota) and `cpu.cfs_period_us`.
std::optional<unsigned> cores_in_cfs_quota(std::string_view quota_us, std::string_view period_us);

/// @brief The cores this thread may run on (its affinity mask, as `taskset` or a cpuset sets it), capped
/// by its cgroup's CPU quota (as a container's CPU limit sets it); at least 1.
///
/// std::thread::hardware_concurrency() counts the machine's cores instead: pinned to one core, or in a
/// container limited to one on a large host, threads sized by it would take turns on the same core.
unsigned usable_cores();

}  // namespace ocl::config
