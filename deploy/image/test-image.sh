#!/usr/bin/env bash
# pnpm test:image: build the image (deploy/image/build.sh), then start and check it (deploy/image/test/).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
[[ "$(id -u)" == 0 ]] || { echo "test:image: must run as root (podman, nsenter, cgroups)" >&2; exit 1; }
started=$SECONDS
bash deploy/image/build.sh >/dev/null
built=$SECONDS
npx vitest run --config deploy/image/vitest.config.ts
echo "test:image: build $((built - started)) s, checks $((SECONDS - built)) s, total $((SECONDS - started)) s" >&2
