# Compiler warnings (and sanitizers, when asked for) as an interface target that every
# project target links, so no global flags are needed.
set(EVIDENCE_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address;undefined")

add_library(evidence_warnings INTERFACE)
target_compile_options(evidence_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(EVIDENCE_WERROR)
  target_compile_options(evidence_warnings INTERFACE -Werror)
endif()
if(EVIDENCE_SANITIZE)
  list(JOIN EVIDENCE_SANITIZE "," sanitizers)
  target_compile_options(evidence_warnings INTERFACE -fsanitize=${sanitizers} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(evidence_warnings INTERFACE -fsanitize=${sanitizers})
endif()
