#!/usr/bin/env bash
# Installs the Debian 12 packages the Evidence Library needs to build, run and test.
# Idempotent: installs only what is missing and prints nothing when all is there.
# Run as root (or with sudo available).
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config
  # libraries
  libxapian-dev libpoppler-private-dev libpoppler-cpp-dev libboost-dev libboost-test-dev
  nlohmann-json3-dev libvalijson-dev libcairo2-dev libcli11-dev libspdlog-dev libssl-dev
  libicu-dev libexttextcat-dev zlib1g-dev
  # the server's memory allocator (about 10% faster searches than glibc's malloc)
  libjemalloc-dev
  # OCR of pages without a text layer (optional at build time): Tesseract 5 and the
  # language data for the languages of the corpus (each a few MB, the "fast" models)
  libtesseract-dev tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-deu
  tesseract-ocr-por
  # run time: CJK and other character maps for Poppler, fonts for the PDF generator,
  # Xapian's command-line tools
  poppler-data fonts-dejavu-core xapian-tools
  # tests and benchmarks: pdftotext for the reference figures, qpdf for encrypted fixtures,
  # pandoc to read our CSL-JSON and BibTeX exports with a parser we did not write
  poppler-utils qpdf curl time bc pandoc
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer run-times
  clang libclang-rt-14-dev
  # end-to-end tests of the pages: the system browser, driven by playwright-core (tests/e2e);
  # ca-certificates so that npm can reach its registry over HTTPS on a minimal system
  chromium ca-certificates
)
# Node.js for the end-to-end tests: any installed one of version 18 or newer will do;
# Debian 12's (18) otherwise. playwright-core is pinned at 1.56.1, the last release that
# supports Node.js 18, and drives Chromium 156 without trouble (tests/e2e/package.json).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: run as root to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# playwright-core for the end-to-end tests, exactly as package-lock.json says (no browser
# download: the tests use the system Chromium). Again only when the lock file changed.
e2e="$(cd "$(dirname "$0")/../tests/e2e" && pwd)"
if [ ! -f "$e2e/node_modules/.package-lock.json" ] || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
  echo "setup.sh: npm ci in tests/e2e"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
