// Server behaviour whose check is a wall-clock bound or a pause: out of the fast tier.
import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/index.js';
import { useServers } from '../support/server-fixture.js';

const { start, client } = useServers();

describe('server over real sockets, timed', () => {
  it('close(): sessions that do not finish are destroyed when the grace period ends', async () => {
    const { port, server } = await start();
    const stuck = await client(port);
    await stuck.readLine();
    stuck.write('HELO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nnever ends\r\n');
    for (let i = 0; i < 4; i++) await stuck.readLine();
    const started = Date.now();
    await server.close({ graceMs: 200 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.connectionCount).toBe(0);
  });


  it('backpressure: a client that pipelines without reading is not read further (bounded memory)', async () => {
    let session: SessionInfo | undefined;
    const { port } = await start({
      policy: (s) => {
        session = s;
        return {};
      },
    });
    const c = await client(port);
    await c.readLine();
    c.socket.pause();
    const command = Buffer.from('HELP\r\n'.repeat(10_000));
    const total = 60;
    let written = 0;
    // Write until the socket says stop a few times; the server must stop reading too.
    for (let i = 0; i < total; i++) {
      written++;
      if (!c.socket.write(command)) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentBytes = written * command.length;
    expect(session?.bytesIn).toBeLessThan(sentBytes / 2);
    // Reading again lets everything through, in order.
    c.socket.resume();
    let helpReplies = 0;
    while (helpReplies < total * 10_000) {
      const line = await c.readLine(10_000);
      if (line.startsWith('214 ')) helpReplies++;
    }
    expect(session?.bytesIn).toBe(sentBytes);
  }, 60_000);
});
