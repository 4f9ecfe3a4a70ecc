# Compiles every src/<feature>/templates/**/*.mustache file into the binary, so the
# server never depends on a template path at run time. A template's name is its
# path below its templates/ folder without the extension ("lettings/index").

function(ocl_embed_templates target)
  file(GLOB_RECURSE template_files CONFIGURE_DEPENDS
       "${PROJECT_SOURCE_DIR}/src/*/templates/*.mustache")
  set(generated "${CMAKE_CURRENT_BINARY_DIR}/embedded_templates.cpp")
  add_custom_command(
    OUTPUT "${generated}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${generated}" "-DFILES=${template_files}"
            -P "${PROJECT_SOURCE_DIR}/cmake/GenerateTemplateBundle.cmake"
    DEPENDS ${template_files} "${PROJECT_SOURCE_DIR}/cmake/GenerateTemplateBundle.cmake"
    COMMENT "Embedding templates"
    VERBATIM)
  target_sources(${target} PRIVATE "${generated}")
endfunction()
