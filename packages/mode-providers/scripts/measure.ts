// Measures the cost of each mode source: start-up time and RSS of a fresh
// process reading its first mode (env, file, ssm against the stand-in), and one
// SSM lookup's latency. Run: npx tsx packages/mode-providers/scripts/measure.ts
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { CachedModeProvider, ssmModeProvider } from '../src/index.js';
import { standInClientConfig, standInEnv, startSsmStandIn } from '@sinkhole/test-kit';

const RUNS = 7;
const LOOKUPS = 1_000;
const HOT_CALLS = 10_000_000;
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../', import.meta.url));
const distIndex = join(packageDir, 'dist', 'index.js');

interface Sample {
  readonly importMs: number;
  readonly firstModeMs: number;
  readonly readyMs: number;
  readonly rssMb: number;
  readonly mode: string;
}

// Runs in a fresh node process on the built package; performance.now() counts from process start.
const CHILD = `
const [kind, distUrl, path] = process.argv.slice(1);
// The cost of the sources, not of a grammar: the text itself is the mode.
const TEXT = { parse: (text) => ({ ok: true, mode: text.trim() }), format: (mode) => mode, fallback: 'defer' };
const before = performance.now();
if (kind === 'node') {
  console.log(JSON.stringify({ importMs: 0, firstModeMs: 0, readyMs: before, rssMb: process.memoryUsage().rss / 2 ** 20, mode: '-' }));
} else {
  const m = await import(distUrl);
  const imported = performance.now();
  const provider =
    kind === 'env' ? m.envModeProvider() :
    kind === 'file' ? m.fileModeProvider({ path }) :
    m.ssmModeProvider();
  const mode = await new m.CachedModeProvider(provider, TEXT).current();
  const ready = performance.now();
  console.log(JSON.stringify({ importMs: imported - before, firstModeMs: ready - imported, readyMs: ready, rssMb: process.memoryUsage().rss / 2 ** 20, mode }));
  provider.destroy?.();
}
`;

// The same steps, as an entry that the sinkhole server's esbuild bundle resembles.
function bundleEntry(indexPath: string): string {
  return `import * as m from ${JSON.stringify(indexPath)};
const [kind, path] = process.argv.slice(2);
const TEXT = { parse: (text: string) => ({ ok: true as const, mode: text.trim() }), format: (mode: string) => mode, fallback: 'defer' };
const provider = kind === 'env' ? m.envModeProvider() : kind === 'file' ? m.fileModeProvider({ path }) : m.ssmModeProvider();
const mode = await new m.CachedModeProvider(provider, TEXT).current();
const ready = performance.now();
console.log(JSON.stringify({ importMs: 0, firstModeMs: 0, readyMs: ready, rssMb: process.memoryUsage().rss / 2 ** 20, mode }));
provider.destroy?.();
`;
}

const REQUIRE_BANNER =
  "import { createRequire as __mpCreateRequire } from 'node:module'; const require = __mpCreateRequire(import.meta.url);";

async function bundle(dir: string, splitting: boolean): Promise<string> {
  const outdir = join(dir, splitting ? 'split' : 'inline');
  await build({
    entryPoints: [join(dir, 'entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting,
    outdir,
    outExtension: { '.js': '.mjs' },
    banner: { js: REQUIRE_BANNER },
    logLevel: 'silent',
  });
  return join(outdir, 'entry.mjs');
}

async function sampleBundle(script: string, kind: string, env: NodeJS.ProcessEnv, filePath: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, [script, kind, filePath], { env, timeout: 30_000 });
  return JSON.parse(stdout) as Sample;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function sample(kind: string, env: NodeJS.ProcessEnv, filePath: string): Promise<Sample> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', CHILD, kind, pathToFileURL(distIndex).href, filePath],
    { env, timeout: 30_000 },
  );
  return JSON.parse(stdout) as Sample;
}

async function main(): Promise<void> {
  if (!existsSync(distIndex)) {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  const standIn = await startSsmStandIn({ parameters: { '/cabal/sinkhole_mode': 'accept' } });
  const dir = await mkdtemp(join(tmpdir(), 'mode-measure-'));
  const filePath = join(dir, 'mode');
  await writeFile(filePath, 'accept\n');
  const config = standInClientConfig(standIn.endpoint);
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], SINKHOLE_MODE: 'accept', ...standInEnv(standIn.endpoint) };
  try {
    console.log(`node ${process.version}, ${RUNS} fresh processes per source, medians; package from dist/`);
    console.log('source            import ms  first mode ms  ready ms (since process start)  RSS MB  mode');
    for (const kind of ['node', 'env', 'file', 'ssm']) {
      const samples: Sample[] = [];
      for (let i = 0; i < RUNS; i += 1) samples.push(await sample(kind, env, filePath));
      const label = kind === 'node' ? 'bare node' : kind === 'ssm' ? 'ssm (SDK loaded)' : `${kind} (no SDK)`;
      console.log(
        `${label.padEnd(18)}${median(samples.map((s) => s.importMs)).toFixed(1).padStart(9)}` +
          `${median(samples.map((s) => s.firstModeMs)).toFixed(1).padStart(15)}` +
          `${median(samples.map((s) => s.readyMs)).toFixed(1).padStart(32)}` +
          `${median(samples.map((s) => s.rssMb)).toFixed(1).padStart(8)}  ${samples[0]?.mode ?? ''}`,
      );
    }

    await writeFile(join(dir, 'entry.ts'), bundleEntry(join(packageDir, 'src', 'index.ts')));
    console.log('esbuild bundle (as the server ships it), no node_modules: ready ms since process start, RSS MB');
    for (const splitting of [false, true]) {
      const script = await bundle(dir, splitting);
      for (const kind of ['env', 'ssm']) {
        const samples: Sample[] = [];
        for (let i = 0; i < RUNS; i += 1) samples.push(await sampleBundle(script, kind, env, filePath));
        console.log(
          `  ${splitting ? 'split (SDK in its own chunks)' : 'inline (one .mjs)'}`.padEnd(34) +
            `${kind.padEnd(5)} ready ${median(samples.map((s) => s.readyMs)).toFixed(1).padStart(6)} ms` +
            `  RSS ${median(samples.map((s) => s.rssMb)).toFixed(1).padStart(5)} MB`,
        );
      }
    }

    const provider = ssmModeProvider({ clientConfig: config });
    const coldStart = performance.now();
    await provider.lookup();
    const coldMs = performance.now() - coldStart;
    const latencies: number[] = [];
    for (let i = 0; i < LOOKUPS; i += 1) {
      const start = performance.now();
      await provider.lookup();
      latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);
    provider.destroy();
    console.log(
      `ssm lookup vs stand-in (uncached, keep-alive, ${LOOKUPS} sequential): ` +
        `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, ` +
        `max ${percentile(latencies, 100).toFixed(2)} ms; first lookup in this process (SDK import + client) ${coldMs.toFixed(1)} ms`,
    );

    const cache = new CachedModeProvider(ssmModeProvider({ clientConfig: config }), { parse: (text) => ({ ok: true, mode: text.trim() }), format: (mode) => mode, fallback: 'defer' });
    await cache.current();
    const hotStart = performance.now();
    for (let i = 0; i < HOT_CALLS; i += 1) void cache.current();
    const hotNs = ((performance.now() - hotStart) * 1e6) / HOT_CALLS;
    console.log(`cached current() while fresh: ${hotNs.toFixed(1)} ns per call (${HOT_CALLS} calls)`);
  } finally {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
