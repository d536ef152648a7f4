// Bundles the sinkhole into dist/: sinkhole-server.mjs (the executable, the only file the
// container image needs) and index.mjs (startSinkhole for other test suites). Workspace
// packages are read from their TypeScript sources (the "source" export condition) and the
// SSM SDK is bundled in, so neither file needs node_modules at run time. The SDK is
// evaluated only when ssm mode first looks the mode up (a dynamic import in mode-providers).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const packageDir = dirname(fileURLToPath(import.meta.url));

// The SDK's CommonJS code calls require() for node: built-ins; an ESM bundle has none.
const REQUIRE_BANNER =
  "import { createRequire as __sinkholeCreateRequire } from 'node:module'; const require = __sinkholeCreateRequire(import.meta.url);";

export const ENTRIES = {
  cli: { name: 'sinkhole-server', path: join(packageDir, 'src', 'main.ts') },
  library: { name: 'index', path: join(packageDir, 'src', 'index.ts') },
};

/**
 * @param {{ outdir?: string, entries?: ReadonlyArray<keyof typeof ENTRIES>, sourcemap?: boolean }} [options]
 * @returns {Promise<{ files: string[], inputs: string[], externals: Record<string, string[]> }>}
 */
export async function buildSinkhole(options = {}) {
  const outdir = options.outdir ?? join(packageDir, 'dist');
  const entries = options.entries ?? ['cli', 'library'];
  const result = await build({
    entryPoints: Object.fromEntries(entries.map((key) => [ENTRIES[key].name, ENTRIES[key].path])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    banner: { js: REQUIRE_BANNER },
    sourcemap: (options.sourcemap ?? true) ? 'linked' : false,
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = result.metafile.outputs;
  return {
    files: Object.keys(outputs),
    inputs: Object.keys(result.metafile.inputs),
    // What each output still imports at run time (esbuild keeps node built-ins external).
    externals: Object.fromEntries(
      Object.entries(outputs).map(([file, output]) => [file, output.imports.filter((i) => i.external).map((i) => i.path)]),
    ),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const { files } = await buildSinkhole();
  console.log(`sinkhole-server: built ${files.filter((f) => f.endsWith('.mjs')).join(', ')} in ${Date.now() - started} ms`);
}
