# Script mode: installs the pinned playwright-core when needed, then runs the admin browser test.
if(NOT EXISTS "${E2E_DIR}/node_modules/playwright-core")
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund
                  WORKING_DIRECTORY "${E2E_DIR}" RESULT_VARIABLE installed)
  if(NOT installed EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${E2E_DIR}")
  endif()
endif()
file(REMOVE_RECURSE "${ARTIFACTS}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env
          "OCL_SERVER_BINARY=${SERVER}" "OCL_DJANGO_DATABASE=${DATABASE}"
          "OCL_STATIC_ROOT=${STATIC_ROOT}" "OCL_E2E_ARTIFACTS=${ARTIFACTS}"
          "${NODE}" admin_e2e.mjs
  WORKING_DIRECTORY "${E2E_DIR}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "admin end-to-end test failed; screenshots in ${ARTIFACTS}")
endif()
