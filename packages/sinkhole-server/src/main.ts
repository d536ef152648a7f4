#!/usr/bin/env node
// The sinkhole-server executable (bundled into dist/sinkhole-server.mjs).
import { setFlagsFromString } from 'node:v8';
import { runCli } from './cli/run-cli.js';
import { BufferedLines } from './cli/stdout-lines.js';

// Memory that needs no node flags, however the program is started (image, bin, pnpm start,
// plain `node sinkhole-server.mjs`): V8 doubles its young generation whenever enough objects
// survive collections, up to 32 MB on Node 20 and 128 MB on Node 24 under a steady message
// flow. The growth factor is read at each growth, so setting it to 1 here keeps the young
// generation at its initial 1 MB semi-spaces (README.md, Memory).
setFlagsFromString('--semi-space-growth-factor=1');

const lines = new BufferedLines(process.stdout, undefined, true);
// Normal exits flush first (below); this catches a crash's last lines.
process.on('exit', () => lines.flushSync(1));
const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  lines,
  onStopSignal: (handler) => {
    process.on('SIGTERM', () => handler('SIGTERM'));
    process.on('SIGINT', () => handler('SIGINT'));
  },
});
// Explicit: an idle keep-alive socket or timer must not hold the process once the server is done.
process.exit(status);
