# OCL_SANITIZE=address,undefined or OCL_SANITIZE=thread instruments every target (library, server,
# tests, benchmarks). Any report is fatal: UBSan does not recover, and the executables carry default
# runtime options (src/sanitizer_options.cpp) so that a server started by a test with a scrubbed
# environment still stops at its first report and fails that test.

# ocl_sanitizer_defaults(TARGET): gives an executable those default runtime options (not the library:
# the runtimes look the functions up at start-up, and an archive member nothing references is never
# linked). Does nothing without OCL_SANITIZE.
function(ocl_sanitizer_defaults target)
  if(OCL_SANITIZE)
    target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/src/sanitizer_options.cpp")
  endif()
endfunction()

if(NOT OCL_SANITIZE)
  return()
endif()

string(REPLACE "," ";" ocl_sanitizers "${OCL_SANITIZE}")
set(ocl_known_sanitizers address undefined leak thread)
foreach(sanitizer IN LISTS ocl_sanitizers)
  if(NOT sanitizer IN_LIST ocl_known_sanitizers)
    message(FATAL_ERROR "OCL_SANITIZE: unknown sanitizer '${sanitizer}' (known: ${ocl_known_sanitizers})")
  endif()
endforeach()
if("thread" IN_LIST ocl_sanitizers AND ("address" IN_LIST ocl_sanitizers OR "leak" IN_LIST ocl_sanitizers))
  message(FATAL_ERROR "OCL_SANITIZE: thread cannot be combined with address or leak")
endif()
if(OCL_COVERAGE)
  message(FATAL_ERROR "OCL_SANITIZE and OCL_COVERAGE are separate builds")
endif()

set(ocl_sanitizer_flags "-fsanitize=${OCL_SANITIZE}" -fno-omit-frame-pointer)
if("undefined" IN_LIST ocl_sanitizers)
  list(APPEND ocl_sanitizer_flags -fno-sanitize-recover=undefined)
endif()
add_compile_options(${ocl_sanitizer_flags})
add_link_options(${ocl_sanitizer_flags})
if("address" IN_LIST ocl_sanitizers AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # AddressSanitizer's instrumentation defeats g++'s flow analysis: g++ 12 reports uninitialised reads
  # inside libstdc++ (std::regex's std::function moves) that the plain builds, which keep the warning, do not.
  add_compile_options(-Wno-maybe-uninitialized)
endif()
if("thread" IN_LIST ocl_sanitizers AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # Asio brackets each handler call with std::atomic_thread_fence (detail/std_fenced_block.hpp), which
  # ThreadSanitizer does not model and g++ warns about. Handlers are handed between threads under
  # Asio's own mutexes, which it does model, so the warning is noise.
  add_compile_options(-Wno-tsan)
endif()
