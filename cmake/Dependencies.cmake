# Imported targets for every third-party library, all from Debian 12 packages
# (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_package(xapian 1.4 REQUIRED CONFIG)
add_library(evidence::xapian INTERFACE IMPORTED)
target_include_directories(evidence::xapian SYSTEM INTERFACE ${XAPIAN_INCLUDE_DIR})
target_link_libraries(evidence::xapian INTERFACE ${XAPIAN_LIBRARIES})

# Poppler's core API (PDFDoc, TextOutputDev) is private and changes between
# releases; we build against exactly the version Debian 12 ships.
set(EVIDENCE_POPPLER_VERSION 22.12.0)
pkg_check_modules(POPPLER REQUIRED IMPORTED_TARGET poppler=${EVIDENCE_POPPLER_VERSION})
add_library(evidence::poppler INTERFACE IMPORTED)
target_link_libraries(evidence::poppler INTERFACE PkgConfig::POPPLER)
target_include_directories(evidence::poppler SYSTEM INTERFACE ${POPPLER_INCLUDE_DIRS})

pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo>=1.16)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc>=70)
pkg_check_modules(EXTTEXTCAT REQUIRED IMPORTED_TARGET libexttextcat>=3.4)

find_package(nlohmann_json 3.11 REQUIRED)
find_package(valijson REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)

# An optional dependency: OPTION is on by default when FOUND (and DEFAULT_ON allows it);
# asking for it when it is missing stops the configuration with what to install.
function(evidence_optional option description found default_on package summary)
  if(found AND default_on)
    set(default ON)
  else()
    set(default OFF)
  endif()
  option(${option} "${description} (needs ${package})" ${default})
  if(${option} AND NOT found)
    message(FATAL_ERROR "${option} is on but ${package} was not found: install it "
                        "(scripts/setup.sh does) or configure with -D${option}=OFF")
  endif()
  message(STATUS "${summary}: ${${option}}")
endfunction()

# OCR of pages without a text layer: Tesseract 5 (and Leptonica, its image library) from
# Debian's libtesseract-dev. Optional: on when found; -DEVIDENCE_OCR=OFF builds without.
pkg_check_modules(TESSERACT IMPORTED_TARGET tesseract>=4.1 lept)
evidence_optional(EVIDENCE_OCR "Read pages without a text layer with Tesseract" "${TESSERACT_FOUND}" ON
                  libtesseract-dev "OCR with Tesseract")

# The server's memory allocator: jemalloc (Debian's libjemalloc-dev) in place of glibc's
# malloc. A search allocates many small strings and JSON values across threads; with
# jemalloc the server answers the benchmark's queries in about 10% less time (bench/README.md).
# Off under the sanitizers, which bring their own allocator.
pkg_check_modules(JEMALLOC IMPORTED_TARGET jemalloc>=5)
if(EVIDENCE_SANITIZE)
  set(jemalloc_default OFF)
else()
  set(jemalloc_default ON)
endif()
evidence_optional(EVIDENCE_JEMALLOC "Link evidence-server with jemalloc" "${JEMALLOC_FOUND}" ${jemalloc_default}
                  libjemalloc-dev "evidence-server with jemalloc")
