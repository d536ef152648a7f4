#!/usr/bin/env bash
# fetch-postfix.sh: make Postfix's smtp-sink and smtp-source available without installing postfix.
#
# Interface (stable; used by benchmarks/ and the e2e tier):
#   scripts/fetch-postfix.sh            extract once into <repo>/.cache/postfix, then print two lines:
#                                         smtp-sink=<abs path>
#                                         smtp-source=<abs path>
#   Run either tool with LD_LIBRARY_PATH=<repo>/.cache/postfix/usr/lib/postfix
#   (the same directory is printed as a third line: ld-library-path=<abs path>).
#   Exit 0 when both binaries exist and run; non-zero with a message on stderr otherwise
#   (no apt-get/dpkg, package not downloadable, binaries fail to load).
#   Idempotent: a second run only re-checks the binaries. POSTFIX_CACHE_DIR overrides the target directory.
#
# Why extract instead of install: the postfix package conflicts with sendmail (used by the e2e tier),
# so we `apt-get download` the .deb and `dpkg -x` it. Nothing is written outside the cache directory
# (apt-get update may refresh the apt lists when the package is unknown to apt-cache).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${POSTFIX_CACHE_DIR:-$repo_root/.cache/postfix}"
sink="$dest/usr/sbin/smtp-sink"
source_bin="$dest/usr/sbin/smtp-source"
libdir="$dest/usr/lib/postfix"

die() { echo "fetch-postfix: $*" >&2; exit 1; }

runs() {
  # smtp-sink/smtp-source print usage and exit non-zero without arguments; a loader failure
  # ("error while loading shared libraries") is what we are looking for.
  local out
  out="$(LD_LIBRARY_PATH="$libdir" "$1" 2>&1 || true)"
  ! grep -q 'error while loading shared libraries' <<<"$out"
}

if [[ ! -x "$sink" || ! -x "$source_bin" ]]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found (not a Debian/Ubuntu machine?)"
  command -v dpkg >/dev/null 2>&1 || die "dpkg not found"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  chmod 777 "$tmp" # apt-get download runs as the _apt user when started as root
  if ! apt-cache show postfix >/dev/null 2>&1; then
    echo "fetch-postfix: postfix unknown to apt-cache, running apt-get update" >&2
    apt-get update -qq >&2 || die "apt-get update failed (no network or no apt sources?)"
  fi
  (cd "$tmp" && apt-get download -qq postfix >&2) || die "apt-get download postfix failed"
  deb="$(ls "$tmp"/postfix_*.deb 2>/dev/null | head -n 1)"
  [[ -n "$deb" ]] || die "apt-get download produced no postfix_*.deb"
  mkdir -p "$dest"
  dpkg -x "$deb" "$dest" || die "dpkg -x failed"
fi

[[ -x "$sink" ]] || die "missing $sink after extraction"
[[ -x "$source_bin" ]] || die "missing $source_bin after extraction"
runs "$sink" || die "smtp-sink does not load (missing system libraries?): try LD_LIBRARY_PATH=$libdir $sink"
runs "$source_bin" || die "smtp-source does not load (missing system libraries?)"

echo "smtp-sink=$sink"
echo "smtp-source=$source_bin"
echo "ld-library-path=$libdir"
