import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sinkholeBuildOptions } from '../../build.mjs';

/**
 * Bundles soak-server.ts (startSinkhole from the current sources plus the in-process sampler)
 * into one .mjs in `outdir`, the way build.mjs bundles the server, and returns its path.
 */
export async function buildSoakServer(outdir: string): Promise<string> {
  const outfile = join(outdir, 'soak-server.mjs');
  await build({
    ...(await sinkholeBuildOptions()),
    entryPoints: [fileURLToPath(new URL('soak-server.ts', import.meta.url))],
    outfile,
  });
  return outfile;
}
