#include "config/cpu_budget.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace ocl::config {
namespace {

std::optional<long long> parse_integer(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  long long value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<unsigned> cores_for(std::optional<long long> quota, std::optional<long long> period) {
  if (!quota || !period || *quota <= 0 || *period <= 0) {
    return std::nullopt;
  }
  return static_cast<unsigned>((*quota + *period - 1) / *period);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file{path};
  if (!file) {
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// This process's cgroup paths from /proc/self/cgroup: the unified (v2) one and v1's `cpu` controller.
struct CgroupPaths {
  std::optional<std::string> unified;
  std::optional<std::string> cpu_controller;
};

CgroupPaths own_cgroups() {
  CgroupPaths paths;
  std::ifstream file{"/proc/self/cgroup"};
  std::string line;
  while (std::getline(file, line)) {
    // "hierarchy-id:controllers:path"; v2 has id 0 and no controllers.
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) {
      continue;
    }
    const auto controllers = std::string_view(line).substr(first + 1, second - first - 1);
    const auto path = line.substr(second + 1);
    if (controllers.empty()) {
      paths.unified = path;
    }
    std::string_view rest = controllers;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      if (rest.substr(0, comma) == "cpu") {
        paths.cpu_controller = path;
      }
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  return paths;
}

/// The quota of the process's own cgroup, or of the root one a container sees as its own.
std::optional<unsigned> cgroup_quota_cores() {
  const auto paths = own_cgroups();
  for (const auto& directory : {paths.unified.value_or("/"), std::string("/")}) {
    if (const auto text = read_file("/sys/fs/cgroup" + directory + "/cpu.max")) {
      return cores_in_cpu_max(*text);
    }
  }
  for (const auto& directory : {paths.cpu_controller.value_or("/"), std::string("/")}) {
    const auto base = "/sys/fs/cgroup/cpu" + directory;
    const auto quota = read_file(base + "/cpu.cfs_quota_us");
    const auto period = read_file(base + "/cpu.cfs_period_us");
    if (quota && period) {
      return cores_in_cfs_quota(*quota, *period);
    }
  }
  return std::nullopt;
}

unsigned affinity_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::thread::hardware_concurrency();
}

}  // namespace

std::optional<unsigned> cores_in_cpu_max(std::string_view cpu_max) {
  const auto space = cpu_max.find(' ');
  if (space == std::string_view::npos) {
    return std::nullopt;
  }
  return cores_for(parse_integer(cpu_max.substr(0, space)), parse_integer(cpu_max.substr(space + 1)));
}

std::optional<unsigned> cores_in_cfs_quota(std::string_view quota_us, std::string_view period_us) {
  return cores_for(parse_integer(quota_us), parse_integer(period_us));
}

unsigned usable_cores() {
  auto cores = affinity_cores();
  if (const auto quota = cgroup_quota_cores()) {
    cores = std::min(cores, *quota);
  }
  return std::max(1U, cores);
}

}  // namespace ocl::config
