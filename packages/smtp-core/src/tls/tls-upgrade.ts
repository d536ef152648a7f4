import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { StartTlsAbort } from '../policy.js';
import { nodeTls } from './lazy-builtins.js';
import { redirectReading } from '../shared-read-buffer.js';
import type { TlsInfo } from '../session-info.js';

/** A server's TLS material and its bound on handshakes in progress. */
export class ServerTls {
  readonly context: SecureContext;
  readonly maxHandshakes: number;
  readonly timeoutMs: number;
  #active = 0;

  constructor(context: SecureContext, maxHandshakes: number, timeoutMs: number) {
    this.context = context;
    this.maxHandshakes = maxHandshakes;
    this.timeoutMs = timeoutMs;
  }

  get available(): boolean {
    return this.#active < this.maxHandshakes;
  }

  /** Counts a handshake; the returned function ends it (once). */
  enter(): () => void {
    this.#active++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#active--;
    };
  }
}

/** A fatal TLS alert record: content type 21, TLS 1.2, length 2, level fatal (2), handshake_failure (40). */
const HANDSHAKE_FAILURE_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);

export interface UpgradeCallbacks {
  /** The handshake completed: the session continues on `secure`. */
  readonly secured: (secure: TLSSocket, info: TlsInfo) => void;
  /** It failed, timed out or was aborted; the connection is being destroyed. */
  readonly failed: (reason: string) => void;
}

/**
 * Runs the server side of a TLS handshake on `socket` (RFC 3207 §4) after the 220 was written.
 * Bytes the client sent before its hello were dropped by the session already; the TLS layer
 * reads from the socket's handle from here on.
 */
export function upgradeSocket(socket: Socket, tls: ServerTls, abort: StartTlsAbort | undefined, callbacks: UpgradeCallbacks): void {
  const leave = tls.enter();
  if (abort?.abort === 'reset') {
    // The 220 is flushed first; then a RST instead of a handshake.
    socket.write(Buffer.alloc(0), () => {
      leave();
      callbacks.failed('starttls-reset');
      socket.resetAndDestroy();
    });
    return;
  }
  if (abort?.abort === 'alert') {
    // A client that never sends its hello is dropped like any slow handshake.
    const silent = setTimeout(() => {
      leave();
      callbacks.failed('tls-handshake-timeout');
      socket.destroy();
    }, tls.timeoutMs);
    socket.once('close', () => {
      clearTimeout(silent);
      leave();
    });
    let answered = false;
    redirectReading(socket, {
      received: () => {
        if (answered) return;
        answered = true;
        clearTimeout(silent);
        leave();
        callbacks.failed('starttls-alert');
        socket.end(HANDSHAKE_FAILURE_ALERT);
      },
    });
    socket.resume();
    return;
  }
  const secure = new (nodeTls().TLSSocket)(socket, { isServer: true, secureContext: tls.context });
  const timer = setTimeout(() => {
    leave();
    callbacks.failed('tls-handshake-timeout');
    secure.destroy();
  }, tls.timeoutMs);
  const fail = (error: Error): void => {
    clearTimeout(timer);
    leave();
    callbacks.failed(`tls-handshake-failed: ${error.message}`);
    secure.destroy();
  };
  secure.once('error', fail);
  const peerLeft = (): void => fail(new Error('the client closed during the handshake'));
  secure.once('end', peerLeft);
  // A peer that goes away mid-handshake without an error still frees its slot.
  secure.once('close', () => {
    clearTimeout(timer);
    leave();
  });
  secure.once('secure', () => {
    clearTimeout(timer);
    leave();
    secure.off('error', fail);
    secure.off('end', peerLeft);
    const cipher = secure.getCipher();
    callbacks.secured(secure, { protocol: secure.getProtocol() ?? 'unknown', cipher: cipher.standardName ?? cipher.name });
  });
}
