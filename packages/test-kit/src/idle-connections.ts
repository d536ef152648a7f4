import { connect, type Socket } from 'node:net';

/** One connection that has read its 220 greeting and then says nothing. */
function greetedSocket(port: number, localAddress: string | undefined, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress === undefined ? {} : { localAddress }) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no greeting in time'));
    }, timeoutMs);
    socket.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      if (!chunk.toString('latin1').startsWith('220 ')) {
        socket.destroy();
        reject(new Error(`not a greeting: ${chunk.toString('latin1').trim()}`));
        return;
      }
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Opens `count` greeted idle connections, `batch` at a time (the listen backlog is finite),
 * spreading them over several loopback source addresses. Resolves with the open sockets.
 */
export async function holdIdleConnections(port: number, count: number, options: { readonly batch?: number; readonly localAddresses?: readonly string[] } = {}): Promise<Socket[]> {
  const batch = options.batch ?? 500;
  const addresses = options.localAddresses ?? [undefined];
  const sockets: Socket[] = [];
  try {
    while (sockets.length < count) {
      const n = Math.min(batch, count - sockets.length);
      const opened = await Promise.all(Array.from({ length: n }, (_, i) => greetedSocket(port, addresses[(sockets.length + i) % addresses.length], 20_000)));
      sockets.push(...opened);
    }
  } catch (error) {
    releaseConnections(sockets);
    throw error;
  }
  return sockets;
}

/** Closes held connections at once. */
export function releaseConnections(sockets: readonly Socket[]): void {
  for (const socket of sockets) socket.destroy();
}
