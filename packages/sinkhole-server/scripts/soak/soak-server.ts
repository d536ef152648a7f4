// The soak's server child: the sinkhole through startSinkhole (file mode source), with an
// in-process sampler, since the event-loop delay cannot be read from outside. Prints
// {"type":"ready","port":N} once listening, then one {"type":"sample",...} line per second.
// Bundled by soak.ts with esbuild and run with the image's node flags:
//   node [flags] soak-server.mjs <mode-file>
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileModeProvider } from '@sinkhole/mode-providers';
import { startSinkhole } from '../../src/index.js';

const modeFile = process.argv[2];
if (modeFile === undefined) throw new Error('usage: soak-server.mjs <mode-file>');

const counts = { connection: 0, accepted: 0, acceptedWhileRefusing: 0, hookProblems: 0, providerErrors: 0, lines: 0 };
const sinkhole = await startSinkhole({
  modeProvider: fileModeProvider({ path: modeFile }),
  cacheTtlMs: 1_000,
  host: '127.0.0.1',
  port: 0,
  hostname: 'soak.test',
  // Counted, not kept: the log is what a CloudWatch stream would get.
  log: (line) => {
    counts.lines++;
    if (line.includes('"msg":"connection"')) counts.connection++;
    else if (line.includes('"msg":"accepted"')) {
      counts.accepted++;
      if (/"mode":"(?:defer|bounce)"/.test(line)) counts.acceptedWhileRefusing++;
    } else if (line.includes('"msg":"hook-error"') || line.includes('"msg":"hook-timeout"')) counts.hookProblems++;
    else if (line.includes('"msg":"mode-provider-error"')) counts.providerErrors++;
  },
});
const write = (record: object): void => void process.stdout.write(`${JSON.stringify(record)}\n`);
write({ type: 'ready', port: sinkhole.address.port, pid: process.pid });

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
setInterval(() => {
  const memory = process.memoryUsage();
  write({
    type: 'sample',
    t: Math.round(performance.now() - started) / 1000,
    rssMb: memory.rss / 1048576,
    heapUsedMb: memory.heapUsed / 1048576,
    heapTotalMb: memory.heapTotal / 1048576,
    externalMb: memory.external / 1048576,
    fds: readdirSync('/proc/self/fd').length,
    handles: process.getActiveResourcesInfo().length,
    connections: sinkhole.connectionCount,
    loopP50Ms: delay.percentile(50) / 1e6,
    loopP99Ms: delay.percentile(99) / 1e6,
    loopMaxMs: delay.max / 1e6,
    ...counts,
  });
  delay.reset();
}, 1_000).unref();

process.on('SIGTERM', () => {
  sinkhole.close({ graceMs: 5_000, reason: 'SIGTERM' }).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
// Keeps the process alive until SIGTERM (the sampler's timer is unref'd).
setInterval(() => undefined, 60_000);
