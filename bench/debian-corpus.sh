#!/usr/bin/env bash
# The benchmark corpus of real PDFs: every PDF that seven of Debian's documentation packages
# install (TeX Live's LaTeX, science and font manuals, Asymptote, Octave and gnuplot; from
# Debian 12's packages, 773 PDFs of 255 MiB), copied into one folder. The packages are
# downloaded with apt-get download and unpacked with dpkg-deb, so nothing is installed.
# Usage: bench/debian-corpus.sh DEST   (DEST must not exist yet or be empty)
set -euo pipefail
dest="${1:?usage: bench/debian-corpus.sh DEST}"
packages=(texlive-latex-base-doc texlive-latex-recommended-doc texlive-science-doc
          texlive-fonts-recommended-doc asymptote-doc octave-doc gnuplot-doc)
if [ -d "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  echo "$dest is not empty" >&2
  exit 1
fi
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download "${packages[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
for deb in "$work"/*.deb; do
  package="$(dpkg-deb -f "$deb" Package)"
  dpkg-deb -x "$deb" "$work/$package"
  # Two packages may ship a PDF of the same name: the later one is named after its package.
  find "$work/$package" -type f -name '*.pdf' -print0 | sort -z | while IFS= read -r -d '' pdf; do
    name="$(basename "$pdf")"
    [ -e "$dest/$name" ] && name="$package-$name"
    cp "$pdf" "$dest/$name"
  done
  rm -rf "$work/$package" "$deb"
done
echo "$dest: $(find "$dest" -name '*.pdf' | wc -l) PDFs, $(du -sm "$dest" | cut -f1) MiB"
