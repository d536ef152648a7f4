import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { holdIdle } from '../src/load/idle-hold.js';
import { runLoad } from '../src/load/load-client.js';
import type { LoadOptions } from '../src/load/load-types.js';
import { createNodeSink } from '../src/targets/node-sink.js';

const servers: Server[] = [];

async function sink(mode: 'accept' | 'defer'): Promise<number> {
  const server = createNodeSink(mode);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function options(port: number, over: Partial<LoadOptions>): LoadOptions {
  return {
    host: '127.0.0.1',
    port,
    concurrency: 3,
    messageSize: 1024,
    reuse: true,
    pipelining: false,
    mode: 'accept',
    warmupMs: 0,
    durationMs: 0,
    messageCount: 30,
    replyTimeoutMs: 5000,
    heloName: 'client.test',
    ...over,
  };
}

describe('load client against the minimal node sink', () => {
  it('delivers a fixed message count over reused connections', async () => {
    const r = await runLoad(options(await sink('accept'), {}));
    expect(r.messages).toBe(30);
    expect(r.delivered).toBe(30);
    expect(r.outcomes).toEqual({ '250': 30 });
    expect(r.errors).toEqual({});
    expect(r.latencyMicros.MAIL?.count).toBe(30);
    expect(r.latencyMicros.TXN?.count).toBe(30);
  });

  it('pipelines when asked and offered, with the same outcome', async () => {
    const r = await runLoad(options(await sink('accept'), { pipelining: true, messageSize: 100 * 1024 }));
    expect(r.pipelined).toBe(true);
    expect(r.outcomes).toEqual({ '250': 30 });
    expect(r.errors).toEqual({});
  });

  it('opens one connection per message', async () => {
    const r = await runLoad(options(await sink('accept'), { reuse: false, messageCount: 12 }));
    expect(r.outcomes).toEqual({ '250': 12 });
    expect(r.connections).toBeGreaterThanOrEqual(12);
    expect(r.latencyMicros.QUIT?.count).toBeGreaterThan(0); // QUITs after the last transaction fall outside the window
  });

  it('counts defer-mode 421s as the expected outcome, and as errors in accept mode', async () => {
    const port = await sink('defer');
    const deferred = await runLoad(options(port, { mode: 'defer', reuse: false, messageCount: 10 }));
    expect(deferred.outcomes).toEqual({ '421': 10 });
    expect(deferred.messages).toBe(10);
    expect(deferred.errors).toEqual({});
    const wrong = await runLoad(options(port, { mode: 'accept', messageCount: 5 }));
    expect(wrong.messages).toBe(0);
    expect(wrong.errors['code:421']).toBe(5);
  });

  it('runs for a duration and stops by itself', async () => {
    const r = await runLoad(options(await sink('accept'), { messageCount: 0, durationMs: 200, warmupMs: 50 }));
    expect(r.elapsedMs).toBeGreaterThanOrEqual(190);
    expect(r.messages).toBeGreaterThan(0);
    expect(r.errors).toEqual({});
  });

  it('holds idle connections open', async () => {
    const r = await holdIdle({
      host: '127.0.0.1',
      port: await sink('accept'),
      connections: 25,
      connectConcurrency: 8,
      holdMs: 10,
      establishTimeoutMs: 5000,
      serverPid: process.pid,
      heloName: 'client.test',
    });
    expect(r.established).toBe(25);
    expect(r.errors).toEqual({});
    expect(r.serverMemory?.rssBytes ?? 1).toBeGreaterThan(0);
  });
});
