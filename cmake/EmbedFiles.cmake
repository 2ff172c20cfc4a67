# evidence_embed_files(OUTPUT out.cpp BASE dir FILES a.json b/c.json)
# Generates a C++ source that defines evidence::core::embedded_file(name), so the
# schemas in schemas/ travel inside the executables and cannot drift from them.
set(EVIDENCE_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFilesScript.cmake)

function(evidence_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT;BASE" "FILES" ${ARGN})
  set(inputs "")
  foreach(f IN LISTS ARG_FILES)
    list(APPEND inputs ${ARG_BASE}/${f})
  endforeach()
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DBASE=${ARG_BASE} "-DFILES=${files_arg}"
            -DOUTPUT=${ARG_OUTPUT} -P ${EVIDENCE_EMBED_SCRIPT}
    DEPENDS ${inputs} ${EVIDENCE_EMBED_SCRIPT}
    COMMENT "Embedding ${ARG_BASE} files"
    VERBATIM)
endfunction()
