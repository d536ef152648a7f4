import { parseArgs } from 'node:util';
import { selfSignedCertificate } from '@sinkhole/smtp-core';
import { SMTPServer } from 'smtp-server';

/**
 * nodemailer's smtp-server configured as a plain sink, the Node library an operator would
 * otherwise reach for: AUTH and STARTTLS off, no reverse DNS, no logger, the DATA stream
 * drained and discarded. --mode defer answers RCPT with 421 (smtp-server then closes).
 * Note: smtp-server waits a fixed 100 ms before its greeting, which caps
 * one-connection-per-message throughput at concurrency × 10 connections/s.
 */
const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    mode: { type: 'string', default: 'accept' },
    // STARTTLS with a self-signed certificate (the sinkhole's --tls on without files).
    tls: { type: 'boolean', default: false },
  },
});
const tls = values.tls === true ? selfSignedCertificate('sink.test') : undefined;
const defer = values.mode === 'defer';

const server = new SMTPServer({
  name: 'sink.test',
  authOptional: true,
  disabledCommands: tls === undefined ? ['AUTH', 'STARTTLS'] : ['AUTH'],
  hideSTARTTLS: tls === undefined,
  ...(tls === undefined ? {} : { key: tls.key, cert: tls.cert }),
  disableReverseLookup: true,
  logger: false,
  size: 104_857_600,
  onRcptTo(_address, _session, callback) {
    if (!defer) return callback();
    const err = new Error('Service temporarily unavailable') as Error & { responseCode: number };
    err.responseCode = 421;
    return callback(err);
  },
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => callback());
    stream.resume();
  },
});
server.on('error', (err: Error) => process.stderr.write(`smtp-server: ${err.message}\n`));
server.listen({ host: values.host, port: Number(values.port), backlog: 4096 }, () => {
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port, target: 'smtp-server', mode: values.mode })}\n`);
});
// SIGINT too, so a run under --cpu-prof stopped with Ctrl-C still writes its profile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
