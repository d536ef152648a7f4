import { connect, type Socket } from 'node:net';

/** A connected socket to 127.0.0.1:port (optionally from another loopback address). */
export function rawConnect(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress === undefined ? {} : { localAddress }) });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Writes and waits until the bytes are handed to the kernel (the write callback). */
export function writeFlushed(socket: Socket, bytes: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/** Sends `total` bytes made of repeats of `chunk`, honouring backpressure (waits for 'drain'). */
export async function pushBytes(socket: Socket, chunk: Buffer, total: number): Promise<void> {
  let sent = 0;
  while (sent < total) {
    const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent);
    sent += piece.length;
    if (!socket.write(piece)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        socket.once('error', onError);
        socket.once('drain', () => {
          socket.off('error', onError);
          resolve();
        });
      });
    }
  }
}

/** Resolves when the socket is closed; with how the peer ended it. */
export function socketClosed(socket: Socket): Promise<{ readonly error: string | undefined }> {
  return new Promise((resolve) => {
    let error: string | undefined;
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    if (socket.destroyed) resolve({ error });
    else socket.once('close', () => resolve({ error }));
  });
}
