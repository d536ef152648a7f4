import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { freePort, killTrackedNow, killTrackedOnSignals, readCpuMs, readMemory } from '@sinkhole/test-kit';
import { runBurst, warmUp, type BurstResult } from './load/burst.js';
import { detectPinning } from './proc/cpu-pinning.js';
import { launchServer } from './proc/server-process.js';
import { buildTargets, type TargetId } from './targets/target-catalog.js';

const USAGE = `Usage: node dist/burst.mjs [--connections 10000] [--reps 3] [--wait-ms 10000] [--warmup 0] [--targets sinkhole,node-sink]
       node dist/burst.mjs --port N [--server-pid PID] [--connections 10000]
Opens N connections at once against each target (a fresh server per repetition, pinned to its
own core, the client on another) and prints how many were greeted within 1 s and 3 s. With
--port, one burst against a server that is already running (e.g. one started with --cpu-prof).`;

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10000' },
    reps: { type: 'string', default: '3' },
    'wait-ms': { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '0' },
    targets: { type: 'string', default: 'sinkhole,node-sink' },
    port: { type: 'string' },
    'server-pid': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const connections = Number(values.connections);
const reps = Number(values.reps);
const waitMs = Number(values['wait-ms']);
const warmUpConnections = Number(values.warmup);
const wanted = values.targets.split(',') as TargetId[];

const pinning = detectPinning();
// The client (this process, every thread) on its own core, so it does not compete with the server.
if (pinning.clientCpu !== null) spawnSync('taskset', ['-a', '-pc', String(pinning.clientCpu), String(process.pid)], { stdio: 'ignore' });
const targets = buildTargets({ available: false, reason: 'not used' }).filter((t) => wanted.includes(t.id));

const row = (target: string, r: BurstResult, cpuMs: number | null, peakMb: number | null): string =>
  `| ${target} | ${r.greetedWithin1s} | ${r.greetedWithin3s} | ${r.greeted} | ${Math.round(r.lastGreetingMs)} | ${Math.round(r.p50Ms)} / ${Math.round(r.p99Ms)} | ` +
  `${Math.round(r.issueMs)} | ${cpuMs === null ? 'n/a' : Math.round(cpuMs)} | ${peakMb === null ? 'n/a' : peakMb.toFixed(1)} | ${JSON.stringify(r.failures)} |`;

process.stdout.write(
  `${connections} connections opened at once, ${reps} repetitions, each against a fresh server` +
    `${warmUpConnections > 0 ? ` warmed up by ${warmUpConnections} connections` : ''}; ${pinning.note}\n\n` +
    '| target | greeted ≤ 1 s | greeted ≤ 3 s | greeted | last greeting ms | p50 / p99 ms | client connect() calls ms | server CPU ms | server peak RSS MB | failures |\n' +
    '|---|---|---|---|---|---|---|---|---|---|\n',
);
killTrackedOnSignals();
try {
  if (values.port !== undefined) {
    const pid = values['server-pid'] === undefined ? undefined : Number(values['server-pid']);
    const cpuBefore = pid === undefined ? null : readCpuMs(pid);
    const result = await runBurst({ host: '127.0.0.1', port: Number(values.port), connections, waitMs });
    const cpuAfter = pid === undefined ? null : readCpuMs(pid);
    const memory = pid === undefined ? null : readMemory(pid);
    const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    process.stdout.write(`${row(`port ${values.port}`, result, cpuMs, memory === null ? null : memory.peakRssBytes / 2 ** 20)}\n`);
  }
  for (let rep = 0; values.port === undefined && rep < reps; rep++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + rep) % targets.length]!;
      if (target.unavailable !== null) {
        process.stdout.write(`| ${target.id} | unavailable: ${target.unavailable} |\n`);
        continue;
      }
      const port = await freePort();
      const command = target.command(port, 'accept');
      const server = await launchServer({
        file: command.file,
        args: command.args,
        ...(command.env === undefined ? {} : { env: command.env }),
        port,
        cpu: pinning.serverCpu,
        fileLimit: connections + 1024,
        readyTimeoutMs: 15_000,
      });
      await warmUp('127.0.0.1', port, warmUpConnections);
      const cpuBefore = readCpuMs(server.pid);
      const result = await runBurst({ host: '127.0.0.1', port, connections, waitMs });
      const cpuAfter = readCpuMs(server.pid);
      const memory = readMemory(server.pid);
      await server.stop();
      const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
      process.stdout.write(`${row(target.id, result, cpuMs, memory === null ? null : memory.peakRssBytes / 2 ** 20)}\n`);
    }
  }
} finally {
  killTrackedNow();
}
