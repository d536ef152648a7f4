#!/usr/bin/env bash
# install-image-deps.sh: what `pnpm test:image` needs, on Debian/Ubuntu, as root: podman (and buildah, which
# podman build uses), runc (crun 1.8 refuses cgroup v1 machines whose v2 hierarchy holds a controller),
# mmdebstrap (the local Node base image), nsenter (util-linux), ip netns (iproute2), and the rootless helpers podman depends on.
# Idempotent, non-interactive, starts no daemon.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
log() { echo "install-image-deps: $*" >&2; }

[[ "$(id -u)" == 0 ]] || { log "must run as root"; exit 1; }
packages=(podman buildah runc mmdebstrap uidmap fuse-overlayfs slirp4netns util-linux iproute2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  log "installing: ${missing[*]}"
  apt-get update -qq </dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
else
  log "packages already installed: ${packages[*]}"
fi
for tool in podman buildah runc mmdebstrap nsenter ip; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool missing after install"; exit 1; }
done
log "done"
