// accept-log keeps each in-flight message's header block (up to --max-header-bytes, 64 KiB) for
// its log line. Without a total budget, clients that send a full 64 KiB header block and then
// stall in DATA made the server hold maxConnections x maxHeaderBytes (2,000 of them: about
// 200 MB, past the ECS task's 128 MB cap); --max-header-bytes-total (16 MiB) bounds it now.
// This test parks 2,000 such clients and expects the server to stay under 128 MB (the image's
// node flags). Figures go to .cache/hardening/hostile-clients.json.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { imageNodeFlags, memoryMb } from '@sinkhole/test-kit';
import { removeTestBundles, startBundle } from '../support/bundle.js';
import { recordFigure, round1 } from './support/figures.js';
import { freshSessionWorks } from './support/smtp-steps.js';

const CLIENTS = 2_000;
const CAP_MB = 128;
/** 66 header lines of 1,000 octets: just over 64 KiB, no empty line (the block never ends). */
const HEADER_BLOCK = Buffer.from(`X-Pad: ${'y'.repeat(991)}\r\n`.repeat(66));

afterAll(async () => {
  await removeTestBundles();
});

/** A client in DATA that has sent a whole header block's worth and then stalls. */
function parkInData(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let seen = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      seen += chunk;
      if (!seen.includes('\r\n354 ')) return;
      seen = '';
      socket.write(HEADER_BLOCK, () => resolve(socket));
    });
    socket.once('error', reject);
    socket.write('EHLO parked.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<x@sinkhole.test>\r\nDATA\r\n');
  });
}

it(`accept-log: ${CLIENTS} clients stalled in DATA after a 64 KiB header block keep the server under ${CAP_MB} MB`, async () => {
  const server = await startBundle(['--port', '0', '--hostname', 'sink.test'], { SINKHOLE_MODE: 'accept-log' }, { nodeFlags: imageNodeFlags(), keep: () => false });
  await freshSessionWorks(server.port);
  const idle = memoryMb(server.pid).rss;
  const sockets: Socket[] = [];
  try {
    for (let batch = 0; batch < CLIENTS; batch += 250) sockets.push(...(await Promise.all(Array.from({ length: 250 }, () => parkInData(server.port)))));
    await sleep(1_000);
    const held = memoryMb(server.pid).rss;
    recordFigure('hostile-clients', 'accept-log-parked-headers', {
      clients: CLIENTS,
      headerBytesEach: HEADER_BLOCK.length,
      idleRssMb: round1(idle),
      rssMb: round1(held),
      kbPerClient: Math.round(((held - idle) * 1024) / CLIENTS),
      capMb: CAP_MB,
    });
    await freshSessionWorks(server.port);
    expect(server.alive).toBe(true);
    expect(held).toBeLessThan(CAP_MB);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}, 60_000);
