import { holdIdle } from './load/idle-hold.js';
import { LOAD_USAGE, parseClientArgs } from './load/load-cli.js';
import { runLoad } from './load/load-client.js';
import type { LoadResult } from './load/load-types.js';

/** Entry of the load client process: parse flags, run, print the result (JSON with --json). */
async function main(): Promise<void> {
  let command: ReturnType<typeof parseClientArgs>;
  try {
    command = parseClientArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`load-client: ${(err as Error).message}\n${LOAD_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${LOAD_USAGE}\n`);
    return;
  }
  if (command.kind === 'idle') {
    const result = await holdIdle(command.options);
    process.stdout.write(command.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const result = await runLoad(command.options);
  process.stdout.write(command.json ? `${JSON.stringify(result)}\n` : summary(result));
}

function summary(r: LoadResult): string {
  const lines = [
    `messages/s ${r.messagesPerSec.toFixed(0)}  connections/s ${r.connectionsPerSec.toFixed(0)}  ` +
      `messages ${r.messages} in ${(r.elapsedMs / 1000).toFixed(2)} s  pipelined ${r.pipelined}`,
    `outcomes ${JSON.stringify(r.outcomes)}  errors ${JSON.stringify(r.errors)}`,
  ];
  if (r.serverCpuMicrosPerMessage !== null) lines.push(`server CPU ${r.serverCpuMicrosPerMessage.toFixed(1)} µs/message`);
  for (const [step, s] of Object.entries(r.latencyMicros)) {
    lines.push(`  ${step.padEnd(7)} p50 ${s.p50} µs  p90 ${s.p90}  p99 ${s.p99}  max ${s.max}  (n=${s.count})`);
  }
  return `${lines.join('\n')}\n`;
}

void main();
