#!/usr/bin/env bash
# build.sh: builds packages/sinkhole-server/Dockerfile, unchanged, on the local base (build-base.sh) with podman,
# and prints the image name on stdout. Timings and the image size go to stderr. Run as root from anywhere.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CONTAINERS_CONF="$repo_root/deploy/image/containers.conf"
IMAGE="${SINKHOLE_TEST_IMAGE:-localhost/cabal-sinkhole:test}"
log() { echo "build-image: $*" >&2; }

for tool in podman mmdebstrap npm; do
  command -v "$tool" >/dev/null 2>&1 || { log "missing: $tool (install with: bash .ci/install-image-deps.sh)"; exit 1; }
done

started=$SECONDS
base="$(bash "$repo_root/deploy/image/build-base.sh")"
log "base $base ready in $((SECONDS - started)) s"

built=$SECONDS
# A TLS-intercepting proxy's CA (this CI's npm traffic goes through one): hand the build stage the CA file the
# host's npm uses, through a build-time ~/.npmrc that npx and pnpm both read. Mounts are not part of any layer.
build_mounts=()
cafile="$(npm config get cafile 2>/dev/null || true)"
if [[ -z "$cafile" || "$cafile" == "null" || "$cafile" == "undefined" ]]; then cafile="${NODE_EXTRA_CA_CERTS:-}"; fi
if [[ -n "$cafile" && "$cafile" != "null" && "$cafile" != "undefined" && -f "$cafile" ]]; then
  npmrc="$(mktemp)"
  trap 'rm -f "$npmrc"' EXIT
  printf 'cafile=/run/host-ca.crt\n' >"$npmrc"
  build_mounts+=(-v "$cafile:/run/host-ca.crt:ro" -v "$npmrc:/root/.npmrc:ro")
  log "build stage uses the host's npm CA file $cafile"
fi
# --network host: the build stage's pnpm install reaches the npm registry without the CNI bridge.
# --format docker: keeps HEALTHCHECK, which the OCI image format has no field for.
# --ignorefile: the Dockerfile's own ignore file (BuildKit finds it by name; podman 4.3 needs it named).
podman build --quiet --layers --network host --format docker \
  --ignorefile "$repo_root/packages/sinkhole-server/Dockerfile.dockerignore" \
  --build-arg "NODE_IMAGE=$base" "${build_mounts[@]}" \
  -f "$repo_root/packages/sinkhole-server/Dockerfile" -t "$IMAGE" "$repo_root" >&2
# Build-stage layers of earlier builds (another lockfile, other sources) pile up untagged; keep a day's worth
# as the layer cache and drop the rest.
podman image prune --force --filter until=24h >/dev/null
size="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
base_size="$(podman image inspect --format '{{.Size}}' "$base")"
log "image $IMAGE built in $((SECONDS - built)) s: $((size / 1000000)) MB ($((base_size / 1000000)) MB of it the base)"
echo "$IMAGE"
