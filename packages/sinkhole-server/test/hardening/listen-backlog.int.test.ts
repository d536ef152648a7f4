// --listen-backlog reaches listen(2): the kernel's own view of the listening socket (ss reads
// its accept-queue limit through sock_diag) matches the flag, and the "listening" line says what
// the kernel applies. Linux with iproute2's ss (.ci/install-e2e-deps.sh installs it).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { removeTestBundles, startBundle } from '../support/bundle.js';

afterAll(async () => {
  await removeTestBundles();
});

/** The accept-queue limit of the socket listening on 127.0.0.1:port (ss's Send-Q column for a listener). */
function kernelBacklog(port: number): number {
  let out: string;
  try {
    out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`this test needs iproute2's ss (apt-get install iproute2): ${(error as Error).message}`);
  }
  const fields = out.trim().split(/\s+/);
  // State Recv-Q Send-Q Local Peer
  return Number(fields[2]);
}

const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());

it('--listen-backlog 77 is the kernel accept-queue limit, and the listening line says so', async () => {
  const server = await startBundle(['--port', '0', '--listen-backlog', '77'], { SINKHOLE_MODE: 'accept' });
  expect(server.lines[0]).toMatchObject({ msg: 'listening', backlog: 77 });
  expect(kernelBacklog(server.port)).toBe(77);
  await server.stop();
});

it('by default the backlog is max(4096, somaxconn), which the kernel caps at somaxconn', async () => {
  const server = await startBundle(['--port', '0'], { SINKHOLE_MODE: 'accept' });
  const expected = Math.min(Math.max(4096, somaxconn), somaxconn);
  expect(server.lines[0]).toMatchObject({ msg: 'listening', backlog: expected });
  expect(kernelBacklog(server.port)).toBe(expected);
  await server.stop();
});

it('SINKHOLE_LISTEN_BACKLOG sets it too', async () => {
  const server = await startBundle(['--port', '0'], { SINKHOLE_MODE: 'accept', SINKHOLE_LISTEN_BACKLOG: '50' });
  expect(kernelBacklog(server.port)).toBe(50);
  await server.stop();
});
