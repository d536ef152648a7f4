// Bundles the benchmark entry points into dist/*.mjs so every process (targets, load client,
// runner) starts as plain `node file.mjs`: no TypeScript loader thread in the measured RSS.
// smtp-server stays external (a peer under test, loaded from node_modules as shipped).
// The micro-benchmarks bundle @sinkhole/smtp-core from its TypeScript sources ("source"
// condition) in a separate step: if the engine does not bundle, the socket matrix still runs.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const common = {
  absWorkingDir: root,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: {
    run: 'src/run.ts',
    'load-client': 'src/load-client-main.ts',
    burst: 'src/burst-main.ts',
    'node-sink': 'src/targets/node-sink-main.ts',
    'smtp-server-sink': 'src/targets/smtp-server-sink-main.ts',
    'profile-summary': 'src/profile-summary-main.ts',
    render: 'src/render-main.ts',
  },
  external: ['smtp-server'],
});

for (const [name, entry] of [
  ['micro', 'src/micro-main.ts'],
  ['smtp-core-sink', 'src/targets/smtp-core-sink-main.ts'],
]) {
  try {
    await build({ ...common, entryPoints: { [name]: entry }, conditions: ['source'], logLevel: 'silent' });
  } catch (err) {
    rmSync(`${root}dist/${name}.mjs`, { force: true });
    console.warn(`benchmarks: dist/${name}.mjs not built (smtp-core does not bundle): ${err.message.split('\n')[0]}`);
  }
}
