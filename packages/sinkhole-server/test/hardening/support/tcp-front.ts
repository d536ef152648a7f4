import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** pass: relay to the target; reset: accept and reset each connection; refuse: nothing listens. */
export type FrontMode = 'pass' | 'reset' | 'refuse';

export interface TcpFront {
  readonly endpoint: string;
  /** Connections accepted while resetting (each one is a lookup that hit the "down" endpoint). */
  readonly resetCount: number;
  setMode(mode: FrontMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP front for the SSM stand-in on a fixed port, so one endpoint can be healthy, "down"
 * with connections refused (the listener is closed), or "down" in a countable way (each
 * connection is accepted and reset), and healthy again.
 */
export async function startTcpFront(targetPort: number): Promise<TcpFront> {
  let mode: FrontMode = 'pass';
  let resetCount = 0;
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number): Promise<number> => {
    const s = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      if (mode === 'reset') {
        resetCount++;
        socket.resetAndDestroy();
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port: targetPort });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    server = s;
    return new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  };
  const stop = (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    return s === undefined ? Promise.resolve() : new Promise((resolve) => s.close(() => resolve()));
  };
  const port = await listen(0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get resetCount() {
      return resetCount;
    },
    async setMode(next) {
      mode = next;
      // Pooled keep-alive connections from the SDK must not outlive a switch.
      for (const socket of sockets) socket.destroy();
      if (next === 'refuse') await stop();
      else if (server === undefined) await listen(port);
    },
    close: stop,
  };
}
