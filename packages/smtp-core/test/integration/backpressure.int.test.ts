import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createSmtpServer, type SmtpServer } from '../../src/index.js';

const servers: SmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ graceMs: 200 })));
});

// More replies than the kernel's socket buffers hold (tcp_wmem max 4 MB plus the reader's
// unread receive buffer), so the server's writes must report a full socket and the session
// must wait for 'drain' before it reads and answers the rest.
it.each(['auto', 'sockets'] as const)('a client that reads nothing for a while gets every reply once it reads again (write back-pressure and drain; io: %s)', async (io) => {
  const server = createSmtpServer({ hostname: 'mx.test', io });
  servers.push(server);
  const { port } = await server.listen(0, '127.0.0.1');
  const socket = connect(port, '127.0.0.1');
  const commands = 200_000;
  let text = '';
  let received = 0;
  await new Promise((resolve) => socket.once('data', resolve));
  socket.pause();
  socket.write(`${'HELP\r\n'.repeat(commands)}QUIT\r\n`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    text = (text + chunk.toString('latin1')).slice(-200);
  });
  socket.resume();
  await new Promise((resolve) => socket.once('close', resolve));
  expect(text).toMatch(/221 [^\r\n]*\r\n$/);
  expect(received).toBeGreaterThan(commands * 40);
}, 30_000);
