#!/usr/bin/env node
// The sinkhole-server executable (bundled into dist/sinkhole-server.mjs).
import { runCli } from './cli/run-cli.js';
import { BufferedLines } from './cli/stdout-lines.js';

const lines = new BufferedLines(process.stdout);
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
