import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REQUIRE_BANNER = "import { createRequire as __soakCreateRequire } from 'node:module'; const require = __soakCreateRequire(import.meta.url);";

/**
 * Bundles soak-server.ts (startSinkhole from the current sources plus the in-process sampler)
 * into one .mjs in `outdir`, the way build.mjs bundles the server, and returns its path.
 */
export async function buildSoakServer(outdir: string): Promise<string> {
  const outfile = join(outdir, 'soak-server.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('soak-server.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
  });
  return outfile;
}
