// Runs the SSM stand-in (test-kit: AWS JSON 1.1 GetParameter over HTTP, signed and parsed by the real SDK on the
// other side) inside a network namespace, so that a container in that namespace reads its mode "from SSM".
// Prints {"event":"ready","endpoint"} and, on "count" from stdin, {"event":"count","requests"}; exits on "quit".
import { createInterface } from 'node:readline';
import { startSsmStandIn } from '@sinkhole/test-kit';

const { parameters } = JSON.parse(process.argv[2] ?? '{}') as { parameters?: Record<string, string> };
const standIn = await startSsmStandIn(parameters === undefined ? {} : { parameters });
const emit = (event: string, fields: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
};
emit('ready', { endpoint: standIn.endpoint });
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'count') emit('count', { requests: standIn.requestCount });
  if (line.trim() === 'quit') break;
}
await standIn.close();
process.exit(0);
