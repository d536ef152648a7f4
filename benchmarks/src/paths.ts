import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where things are, found from this file whether it runs bundled (benchmarks/dist/*.mjs)
 * or from source under vitest (benchmarks/src/...): walk up to @sinkhole/benchmarks.
 */
function findBenchmarksDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes('"@sinkhole/benchmarks"')) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the benchmarks package directory');
    dir = parent;
  }
}

export const BENCH_DIR = findBenchmarksDir();
export const REPO_ROOT = dirname(BENCH_DIR);
export const DIST_DIR = join(BENCH_DIR, 'dist');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const CI_RESULTS_DIR = join(BENCH_DIR, '.cache', 'results-ci');
export const README = join(BENCH_DIR, 'README.md');
export const SINKHOLE_BUNDLE = join(REPO_ROOT, 'packages', 'sinkhole-server', 'dist', 'sinkhole-server.mjs');
export const SINKHOLE_DOCKERFILE = join(REPO_ROOT, 'packages', 'sinkhole-server', 'Dockerfile');
export const FETCH_POSTFIX = join(REPO_ROOT, 'scripts', 'fetch-postfix.sh');
