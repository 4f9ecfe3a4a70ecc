# Front-end libraries come from npm (package.json) and are served locally from
# static/vendor/, never from a CDN. `npm ci` runs only when node_modules is missing.

set(OCL_VENDOR_DIR "${PROJECT_SOURCE_DIR}/static/vendor")
set(OCL_NODE_MODULES "${PROJECT_SOURCE_DIR}/node_modules")

add_custom_command(
  OUTPUT "${OCL_NODE_MODULES}/.package-lock.json"
  COMMAND npm ci --no-audit --no-fund --loglevel=error
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
  DEPENDS "${PROJECT_SOURCE_DIR}/package.json" "${PROJECT_SOURCE_DIR}/package-lock.json"
  COMMENT "Installing front-end packages from npm")

add_custom_command(
  OUTPUT "${OCL_VENDOR_DIR}/.stamp"
  COMMAND "${CMAKE_COMMAND}" -E rm -rf "${OCL_VENDOR_DIR}"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${OCL_VENDOR_DIR}/bootstrap" "${OCL_VENDOR_DIR}/bootstrap-icons"
  COMMAND "${CMAKE_COMMAND}" -E copy
          "${OCL_NODE_MODULES}/bootstrap/dist/css/bootstrap.min.css"
          "${OCL_NODE_MODULES}/bootstrap/dist/js/bootstrap.bundle.min.js"
          "${OCL_VENDOR_DIR}/bootstrap/"
  COMMAND "${CMAKE_COMMAND}" -E copy
          "${OCL_NODE_MODULES}/bootstrap-icons/font/bootstrap-icons.min.css"
          "${OCL_VENDOR_DIR}/bootstrap-icons/"
  COMMAND "${CMAKE_COMMAND}" -E copy_directory
          "${OCL_NODE_MODULES}/bootstrap-icons/font/fonts" "${OCL_VENDOR_DIR}/bootstrap-icons/fonts"
  COMMAND "${CMAKE_COMMAND}" -E touch "${OCL_VENDOR_DIR}/.stamp"
  DEPENDS "${OCL_NODE_MODULES}/.package-lock.json"
  COMMENT "Vendoring Bootstrap and Bootstrap Icons into static/vendor")

add_custom_target(vendor-static ALL DEPENDS "${OCL_VENDOR_DIR}/.stamp")
