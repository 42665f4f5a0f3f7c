#!/usr/bin/env bash
# Builds the benchmark corpora from Debian packages (real text, permissive or GPL-compatible licences, see
# each package's /usr/share/doc/*/copyright). Needs apt (binary packages only) and python3; nothing is committed.
#
#   examples/bench/corpora/build.sh [OUT_DIR]     (default: bench-data/ at the repository root)
#
# Writes JSONL files (fields: id, source, text), one document per source file:
#   english-100m.jsonl   ~100 MB of English documentation prose (kernel Documentation, Python, Django, Perl,
#                        PostgreSQL, Git, Node.js, SciPy, Rust manuals and the Debian
#                        Administrator's Handbook; HTML converted to text)
#   english-20m.jsonl    its first ~20 MB
#   linux-c-pair.jsonl   the .c/.h files of fs/ kernel/ mm/ net/ lib/ from two point releases of Linux 6.1
#                        (6.1.170 and 6.1.192): real near-duplicates, for dedup quality
#   linux-all-2rel.jsonl every text source file of both releases (~2.3 GB): dedup memory/scale
#   linux-all-1rel.jsonl every text source file of 6.1.192 (~1.1 GB): stats at scale
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE/../../../bench-data}"
mkdir -p "$OUT/raw"
cd "$OUT/raw"
PACKAGES=(linux-source-6.1=6.1.170-3 linux-source-6.1=6.1.192-2 python3.11-doc python-django-doc perl-doc
          postgresql-doc-15 rust-doc git-doc nodejs-doc debian-handbook python-scipy-doc)
if [[ ! -f .downloaded ]]; then
  apt-get download "${PACKAGES[@]}"
  touch .downloaded
fi
for deb in *.deb; do
  dir="x-${deb%.deb}"
  [[ -d "$dir" ]] || { mkdir -p "$dir"; dpkg-deb -x "$deb" "$dir"; }
done
for tarball in x-linux-source-6.1_*/usr/src/linux-source-6.1.tar.xz; do
  version="$(basename "$(dirname "$(dirname "$(dirname "$(dirname "$tarball")")")")" | sed 's/x-linux-source-6.1_\(.*\)_all/\1/')"
  [[ -d "linux-$version" ]] || { mkdir -p "linux-$version"; tar -xJf "$tarball" -C "linux-$version"; }
done
python3 "$HERE/build_corpora.py" "$OUT/raw" "$OUT"
touch "$OUT/READY"
ls -la "$OUT"
