// Bundles the sinkhole into dist/: sinkhole-server.mjs (the executable, the only file the
// container image needs) and index.mjs (startSinkhole for other test suites). Workspace
// packages are read from their TypeScript sources (the "source" export condition) and the
// SSM SDK is bundled in, so neither file needs node_modules at run time.
//
// The SDK (1.5 MB of code) is bundled on its own and carried inside sinkhole-server.mjs as
// the data: URL of mode-providers' dynamic import('@aws-sdk/client-ssm'). Node imports it
// from there only when ssm mode first looks the mode up; in env and file mode it stays a
// string that is never parsed, which saves about 6 MB of RSS and 40 ms of start-up over
// bundling the SDK's code inline.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';

const packageDir = dirname(fileURLToPath(import.meta.url));

// The SDK's CommonJS code calls require() for node: built-ins; an ESM bundle has none.
const REQUIRE_BANNER =
  "import { createRequire as __sinkholeCreateRequire } from 'node:module'; const require = __sinkholeCreateRequire(import.meta.url);";

// Inside the data: module import.meta.url is the data: URL, which createRequire refuses; any
// absolute path resolves the node: built-ins the SDK asks for.
const SDK_REQUIRE_BANNER =
  "import { createRequire as __sinkholeCreateRequire } from 'node:module'; const require = __sinkholeCreateRequire(process.execPath);";
const SDK_SPECIFIER = '@aws-sdk/client-ssm';
const modeProvidersDir = join(packageDir, '..', 'mode-providers');

/**
 * The SDK as one self-contained ES module, brotli-compressed inside a small loader module that
 * inflates and imports it; returned as the loader's data: URL (about 250 KB instead of 1.5 MB).
 */
async function bundleSdkAsDataUrl() {
  const result = await build({
    stdin: { contents: `export { SSMClient, GetParameterCommand } from '${SDK_SPECIFIER}';`, resolveDir: modeProvidersDir, loader: 'js' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    banner: { js: SDK_REQUIRE_BANNER },
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  const packed = brotliCompressSync(code, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');
  const loader =
    "import { brotliDecompressSync } from 'node:zlib';" +
    `const sdk = await import('data:text/javascript;base64,' + brotliDecompressSync(Buffer.from('${packed}', 'base64')).toString('base64'));` +
    'export const SSMClient = sdk.SSMClient; export const GetParameterCommand = sdk.GetParameterCommand;';
  return `data:text/javascript;base64,${Buffer.from(loader).toString('base64')}`;
}

/** Resolves the SDK's specifier to its data: URL, left for Node to import at run time. */
function sdkAsDataUrl(dataUrl) {
  return {
    name: 'ssm-sdk-as-data-url',
    setup(b) {
      b.onResolve({ filter: /^@aws-sdk\/client-ssm$/ }, () => ({ path: dataUrl, external: true }));
    },
  };
}

/**
 * How the sinkhole is bundled, for any entry point (the soak script's server uses it too, so it
 * measures the same bundle shape): workspace sources, node built-ins external, the SDK as a
 * data: URL.
 */
export async function sinkholeBuildOptions() {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    banner: { js: REQUIRE_BANNER },
    plugins: [sdkAsDataUrl(await bundleSdkAsDataUrl())],
    logLevel: 'warning',
  };
}

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
    ...(await sinkholeBuildOptions()),
    entryPoints: Object.fromEntries(entries.map((key) => [ENTRIES[key].name, ENTRIES[key].path])),
    outdir,
    outExtension: { '.js': '.mjs' },
    sourcemap: (options.sourcemap ?? true) ? 'linked' : false,
    metafile: true,
  });
  const outputs = result.metafile.outputs;
  return {
    files: Object.keys(outputs),
    inputs: Object.keys(result.metafile.inputs),
    // What each output still imports at run time (esbuild keeps node built-ins external).
    externals: Object.fromEntries(
      Object.entries(outputs).map(([file, output]) => [
        file,
        output.imports.filter((i) => i.external).map((i) => (i.path.startsWith('data:') ? `data: (${SDK_SPECIFIER})` : i.path)),
      ]),
    ),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const { files } = await buildSinkhole();
  console.log(`sinkhole-server: built ${files.filter((f) => f.endsWith('.mjs')).join(', ')} in ${Date.now() - started} ms`);
}
