import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killTracked, SinkholeProcess, type SinkholeOptions } from '@sinkhole/test-kit';
import { buildSinkhole } from '../../build.mjs';

let built: Promise<string> | undefined;
const dirs: string[] = [];

/**
 * Bundles src/main.ts with the package's own build.mjs into a fresh directory under the OS
 * temp dir (no node_modules above it), once per test file, and returns the .mjs path: the
 * tests drive the same artefact the container runs, built from the current sources.
 */
export function testBundle(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sinkhole-bundle-'));
    dirs.push(dir);
    await buildSinkhole({ outdir: dir, entries: ['cli'], sourcemap: false });
    return join(dir, 'sinkhole-server.mjs');
  })();
  return built;
}

type BundleOptions = Omit<SinkholeOptions, 'args' | 'env' | 'bundle'>;

/** The test bundle started with these flags and environment, once it logged "listening". */
export function startBundle(args: readonly string[], env: Readonly<Record<string, string>> = {}, options: BundleOptions = {}): Promise<SinkholeProcess> {
  return SinkholeProcess.start({ ...options, bundle: testBundle(), args, env });
}

/** The test bundle spawned without waiting (for runs that exit by themselves). */
export function spawnBundle(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<SinkholeProcess> {
  return SinkholeProcess.spawn({ bundle: testBundle(), args, env });
}

/** For afterAll: kills what still runs from the bundles, then removes them. */
export async function removeTestBundles(): Promise<void> {
  await killTracked();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  built = undefined;
}
