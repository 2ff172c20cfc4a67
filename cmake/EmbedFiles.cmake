# evidence_embed_files(OUTPUT out.cpp BASE dir FILES a.json b/c.json
#                      [NAMESPACE evidence::core] [HEADER embedded_files.hpp])
# Generates a C++ source that defines NAMESPACE::embedded_file(name) (declared in HEADER),
# so files such as the schemas in schemas/ or the web page's assets travel inside the
# executables and cannot drift from them.
set(EVIDENCE_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFilesScript.cmake)

function(evidence_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT;BASE;NAMESPACE;HEADER" "FILES" ${ARGN})
  if(NOT ARG_NAMESPACE)
    set(ARG_NAMESPACE evidence::core)
  endif()
  if(NOT ARG_HEADER)
    set(ARG_HEADER embedded_files.hpp)
  endif()
  set(inputs "")
  foreach(f IN LISTS ARG_FILES)
    list(APPEND inputs ${ARG_BASE}/${f})
  endforeach()
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DBASE=${ARG_BASE} "-DFILES=${files_arg}"
            -DOUTPUT=${ARG_OUTPUT} -DNAMESPACE=${ARG_NAMESPACE} -DHEADER=${ARG_HEADER} -P ${EVIDENCE_EMBED_SCRIPT}
    DEPENDS ${inputs} ${EVIDENCE_EMBED_SCRIPT}
    COMMENT "Embedding ${ARG_BASE} files"
    VERBATIM)
endfunction()
