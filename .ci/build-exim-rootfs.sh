#!/usr/bin/env bash
# build-exim-rootfs.sh: a Debian bookworm root filesystem with exim4-daemon-light, for the e2e BDAT test.
# Exim sends CHUNKING (BDAT) by default, but it conflicts with sendmail as a Debian package, so it runs
# chrooted from this directory, sharing the host's loopback network. Cached in <repo>/.cache/exim-rootfs
# (gitignored); a rerun with the directory present does nothing. Run as root.
set -euo pipefail

SUITE=bookworm
MIRROR=http://deb.debian.org/debian
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$repo_root/.cache/exim-rootfs"
log() { echo "build-exim-rootfs: $*" >&2; }

if [[ -x "$target/usr/sbin/exim4" ]]; then
  log "cached: $target"
  exit 0
fi
command -v mmdebstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq mmdebstrap; }
mkdir -p "$repo_root/.cache"
rm -rf "$target.partial"
started=$SECONDS
log "mmdebstrap $SUITE --variant=apt --include=exim4-daemon-light"
mmdebstrap --quiet --mode=root --variant=apt --include=exim4-daemon-light \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --customize-hook='rm -rf "$1/var/cache/apt" "$1/var/lib/apt/lists"' \
  "$SUITE" "$target.partial" "$MIRROR"
mv "$target.partial" "$target"
log "built in $((SECONDS - started)) s: $(du -sh "$target" | cut -f1)"
