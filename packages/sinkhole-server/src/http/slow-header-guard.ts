import type { Socket } from 'node:net';

/**
 * Disconnects a client that takes longer than timeoutMs to send a request's headers, counting
 * from the connection (or the end of the previous response), whatever its pace: one byte a
 * second keeps a socket timeout from firing, never this one. Node's headersTimeout does the
 * same per request but only checks every connectionsCheckingInterval.
 */
export class SlowHeaderGuard {
  readonly #timeoutMs: number;
  readonly #timers = new Map<Socket, NodeJS.Timeout>();

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  watch(socket: Socket): void {
    this.#arm(socket);
    socket.once('close', () => this.#disarm(socket));
  }

  /** The headers are in: a long poll may now take as long as it asks. */
  requestStarted(socket: Socket): void {
    this.#disarm(socket);
  }

  /** The response is out: the next request's headers are on the clock. */
  requestDone(socket: Socket): void {
    if (!socket.destroyed) this.#arm(socket);
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #arm(socket: Socket): void {
    this.#disarm(socket);
    const timer = setTimeout(() => {
      this.#timers.delete(socket);
      socket.destroy();
    }, this.#timeoutMs);
    timer.unref();
    this.#timers.set(socket, timer);
  }

  #disarm(socket: Socket): void {
    const timer = this.#timers.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(socket);
  }
}
