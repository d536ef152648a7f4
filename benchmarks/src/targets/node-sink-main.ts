import { parseArgs } from 'node:util';
import { createNodeSink } from './node-sink.js';

/** Entry of the minimal node sink target process: --host, --port, --mode accept|defer. */
const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    mode: { type: 'string', default: 'accept' },
  },
});
const server = createNodeSink(values.mode === 'defer' ? 'defer' : 'accept');
server.listen({ host: values.host, port: Number(values.port), backlog: 4096 }, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port, target: 'node-sink', mode: values.mode })}\n`);
});
// SIGINT too, so a run under --cpu-prof stopped with Ctrl-C still writes its profile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
