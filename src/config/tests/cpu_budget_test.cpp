#include "config/cpu_budget.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

namespace ocl::config {
namespace {

TEST(CpuBudget, CgroupV2QuotaRoundsUpToWholeCores) {
  EXPECT_EQ(cores_in_cpu_max("100000 100000\n"), 1U);
  EXPECT_EQ(cores_in_cpu_max("150000 100000\n"), 2U);
  EXPECT_EQ(cores_in_cpu_max("50000 100000"), 1U);
  EXPECT_EQ(cores_in_cpu_max("400000 100000\n"), 4U);
}

TEST(CpuBudget, CgroupV2WithoutQuotaOrUnreadableSetsNoLimit) {
  EXPECT_EQ(cores_in_cpu_max("max 100000\n"), std::nullopt);
  EXPECT_EQ(cores_in_cpu_max(""), std::nullopt);
  EXPECT_EQ(cores_in_cpu_max("100000"), std::nullopt);
  EXPECT_EQ(cores_in_cpu_max("100000 0"), std::nullopt);
  EXPECT_EQ(cores_in_cpu_max("12x 100000"), std::nullopt);
}

TEST(CpuBudget, CgroupV1Quota) {
  EXPECT_EQ(cores_in_cfs_quota("-1\n", "100000\n"), std::nullopt);
  EXPECT_EQ(cores_in_cfs_quota("200000\n", "100000\n"), 2U);
  EXPECT_EQ(cores_in_cfs_quota("250000\n", "100000\n"), 3U);
  EXPECT_EQ(cores_in_cfs_quota("", "100000"), std::nullopt);
}

TEST(CpuBudget, FollowsTheAffinityMask) {
  const auto all = usable_cores();
  EXPECT_GE(all, 1U);
  EXPECT_LE(all, std::max(1U, std::thread::hardware_concurrency()));

  // A thread pinned to one core, as `taskset -c 0` pins a process, may use one.
  unsigned pinned = 0;
  std::thread probe([&pinned] {
    cpu_set_t current;
    CPU_ZERO(&current);
    ASSERT_EQ(sched_getaffinity(0, sizeof(current), &current), 0);
    int first = 0;
    while (!CPU_ISSET(first, &current)) {
      ++first;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
    pinned = usable_cores();
  });
  probe.join();
  EXPECT_EQ(pinned, 1U);
}

}  // namespace
}  // namespace ocl::config
