// Bundles the benchmark entry points into dist/*.mjs so every process (targets, load client,
// runner) starts as plain `node file.mjs`: no TypeScript loader thread in the measured RSS.
// @sinkhole/smtp-core is bundled from its TypeScript sources ("source" condition);
// smtp-server stays external (it is a peer under test, loaded from node_modules as shipped).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: {
    run: 'src/run.ts',
    'load-client': 'src/load-client-main.ts',
    'node-sink': 'src/targets/node-sink-main.ts',
    'smtp-server-sink': 'src/targets/smtp-server-sink-main.ts',
    micro: 'src/micro-main.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  external: ['smtp-server'],
  sourcemap: 'linked',
  logLevel: 'warning',
});
