// A minimal fixture on smtp-core: accepts mail on 127.0.0.1, refuses one recipient, and prints
// each message's envelope and headers (never the body) as JSON lines.
//   node --conditions source --import tsx packages/smtp-core/examples/capture-server.ts [port]
import { createSmtpServer, reply } from '@sinkhole/smtp-core';

const USER_UNKNOWN = reply(550, '5.1.1', 'User unknown');

const server = createSmtpServer({
  hostname: 'fixture.test',
  policy: () => ({
    captureHeaders: true,
    onRcptTo: (to) => (to.localPart === 'nobody' ? USER_UNKNOWN : undefined),
    onDataEnd: (message, envelope, session) => {
      const line = {
        client: session.remoteAddress,
        from: envelope.reversePath.address,
        to: envelope.recipients.map((r) => r.address),
        size: message.size,
        headers: message.headers?.toString('utf8'),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      return undefined;
    },
  }),
});

const address = await server.listen(Number(process.argv[2] ?? 2525), '127.0.0.1');
process.stdout.write(`${JSON.stringify({ msg: 'listening', port: address.port })}\n`);
process.once('SIGINT', () => void server.close({ graceMs: 5000 }).then(() => process.exit(0)));
process.once('SIGTERM', () => void server.close({ graceMs: 5000 }).then(() => process.exit(0)));
