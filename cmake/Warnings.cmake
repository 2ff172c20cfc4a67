# Compiler warnings as an interface target, so no global flags are needed.
add_library(evidence_warnings INTERFACE)
target_compile_options(evidence_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(EVIDENCE_WERROR)
  target_compile_options(evidence_warnings INTERFACE -Werror)
endif()
