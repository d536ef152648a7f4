import { parseArgs } from 'node:util';
import { createSmtpServer, reply, type SessionPolicy } from '@sinkhole/smtp-core';

/**
 * The bare engine as a target (opt-in: --targets smtp-core): @sinkhole/smtp-core's
 * createSmtpServer with the default accept-all policy and no event sink, so the cost of the
 * sinkhole's mode lookup and JSON logging can be told apart from the engine's own.
 * --mode defer answers RCPT with 421 (the engine then closes).
 */
const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    mode: { type: 'string', default: 'accept' },
  },
});
const DEFER = reply(421, '4.3.2', 'Service temporarily unavailable');
const deferPolicy: SessionPolicy = Object.freeze({ onRcptTo: () => DEFER });
const server = createSmtpServer({
  hostname: 'sink.test',
  ...(values.mode === 'defer' ? { policy: () => deferPolicy } : {}),
  limits: { maxConnections: 1_000_000 },
});
const address = await server.listen(Number(values.port), values.host);
process.stdout.write(`${JSON.stringify({ msg: 'listening', port: address.port, target: 'smtp-core', mode: values.mode })}\n`);
// SIGINT too, so a run under --cpu-prof stopped with Ctrl-C still writes its profile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
