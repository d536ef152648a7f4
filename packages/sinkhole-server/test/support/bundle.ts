import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export async function removeTestBundles(): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  built = undefined;
}
