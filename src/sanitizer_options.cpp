/// @file
/// @brief Default runtime options of the sanitizer builds (OCL_SANITIZE), compiled into the server
/// and the test executables only. The runtimes read them before the *SAN_OPTIONS variables, which
/// still override them. They matter most for the server the tests start: its environment is scrubbed,
/// yet the first report must stop it with a non-zero status so that the test fails.

// NOLINTBEGIN(readability-identifier-naming): the runtimes look these names up.
extern "C" {

// OpenSSL allocates and frees a digest context on every PBKDF2 round: cycled through the default
// 256 MB quarantine, nearly each allocation faults in a fresh page and one sign-in hash takes 5 to 7 s
// instead of under 2. A 16 MB quarantine still catches a use after any recent free.
const char* __asan_default_options() {  // NOLINT(bugprone-reserved-identifier)
  return "halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:"
         "check_initialization_order=1:strict_init_order=1:quarantine_size_mb=16";
}

const char* __lsan_default_options() {  // NOLINT(bugprone-reserved-identifier)
  return "print_suppressions=0";
}

const char* __ubsan_default_options() {  // NOLINT(bugprone-reserved-identifier)
  return "print_stacktrace=1:halt_on_error=1";
}

const char* __tsan_default_options() {  // NOLINT(bugprone-reserved-identifier)
  return "halt_on_error=1:second_deadlock_stack=1";
}
}
// NOLINTEND(readability-identifier-naming)
