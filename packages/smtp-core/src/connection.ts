import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CloseReason } from './events.js';
import type { Sweepable } from './idle-clock.js';
import type { PolicyFactory, StartTlsAbort } from './policy.js';
import type { SessionInfo, TlsInfo } from './session-info.js';
import { redirectReading, startReading } from './shared-read-buffer.js';
import { upgradeSocket, type ServerTls } from './tls/tls-upgrade.js';
import { createProtocolSession, type ProtocolSession } from './session/create-protocol-session.js';
import type { ProtocolSettings } from './session/protocol-settings.js';
import type { ProtocolTransport } from './session/protocol-types.js';

const CONNECTION: unique symbol = Symbol('smtp-connection');
type OwnedSocket = Socket & { [CONNECTION]: SmtpConnection };

// One set of listener functions for all sockets (`this` is the socket), instead of six
// closures per connection: it matters with thousands of idle connections.
function onData(this: OwnedSocket, chunk: Buffer): void {
  this[CONNECTION].received(chunk);
}
function onEnd(this: OwnedSocket): void {
  this[CONNECTION].peerEnded();
}
function onDrain(this: OwnedSocket): void {
  this[CONNECTION].drained();
}
function onError(this: OwnedSocket, error: Error): void {
  this[CONNECTION].failed(error);
}
function onClose(this: OwnedSocket): void {
  this[CONNECTION].closed();
}
function destroyWhenFlushed(this: Socket): void {
  this.destroy();
}

/**
 * The only code that touches a socket: it feeds bytes to a {@link ProtocolSession}, writes its
 * replies, keeps the inactivity deadline, and closes gracefully. A close never resets the
 * peer: the server half-closes and keeps reading (and dropping) until the client closes or
 * `closeDrainMs` passes, because closing with unread input makes the kernel send RST and the
 * client would never read the final reply.
 */
export class SmtpConnection implements ProtocolTransport, Sweepable {
  /** The TCP socket, or after STARTTLS the TLS socket on top of it. */
  #socket: OwnedSocket;
  readonly #tls: ServerTls | undefined;
  readonly #protocol: ProtocolSession;
  readonly #settings: ProtocolSettings;
  readonly #onGone: (connection: SmtpConnection) => void;
  /** When the session last read or wrote, on the settings' clock. */
  #lastActivity: number;
  /** Set once the server half-closed: the socket is destroyed at this time if the peer has not closed. */
  #drainDeadline = Number.POSITIVE_INFINITY;
  #closeReason: CloseReason | undefined;
  /** The session asked to stop reading (a pending hook, a full output buffer, the TLS handshake). */
  #readingPaused = false;
  #gone = false;

  constructor(
    socket: Socket,
    id: string,
    settings: ProtocolSettings,
    policy: PolicyFactory,
    onGone: (connection: SmtpConnection) => void,
    tls?: ServerTls,
  ) {
    this.#socket = this.#own(socket);
    this.#tls = tls;
    this.#settings = settings;
    this.#lastActivity = settings.clock.now();
    this.#onGone = onGone;
    socket.on('close', onClose);
    startReading(socket, this);
    this.#protocol = createProtocolSession({
      settings,
      transport: this,
      policy,
      id,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      local: socket,
    });
  }

  get session(): SessionInfo {
    return this.#protocol.session;
  }

  /** Server shutdown: see {@link ProtocolSession.shutdown}. */
  shutdown(): void {
    this.#protocol.shutdown();
  }

  /** Ends the connection at once (grace period over). */
  destroy(): void {
    this.#closeReason ??= 'destroyed';
    this.#socket.destroy();
  }

  // ProtocolTransport

  write(bytes: Buffer): boolean {
    this.#lastActivity = this.#settings.clock.now();
    const socket = this.#socket;
    if (socket.write(bytes)) return true;
    // Listened for only while needed: most connections never fill the socket's buffer.
    if (socket.listenerCount('drain') === 0) socket.once('drain', onDrain);
    return false;
  }

  end(reason: CloseReason): void {
    this.#closeReason ??= reason;
    this.#drainDeadline = this.#settings.clock.now() + this.#settings.limits.closeDrainMs;
    this.#socket.end();
    // Keep reading (and dropping) until the peer closes; see the class comment.
    if (this.#readingPaused) this.pauseReading(false);
  }

  reset(reason: CloseReason): void {
    this.#closeReason ??= reason;
    // SO_LINGER 0 then close: the peer gets an RST, not a FIN (bytes still unsent are lost).
    this.#socket.resetAndDestroy();
  }

  pauseReading(paused: boolean): void {
    this.#readingPaused = paused;
    if (paused) this.#socket.pause();
    else this.#socket.resume();
  }

  tlsAvailable(): boolean {
    return this.#tls?.available === true;
  }

  startTls(abort: StartTlsAbort | undefined, done: (tls: TlsInfo) => void): void {
    const tls = this.#tls;
    if (tls === undefined) throw new Error('startTls without TLS configured');
    const plain = this.#socket;
    // From here the TLS layer reads the socket; the plain-text listeners must not see its bytes.
    redirectReading(plain, undefined);
    plain.off('end', onEnd);
    plain.off('drain', onDrain);
    upgradeSocket(plain, tls, abort, {
      secured: (secure: TLSSocket) => {
        this.#socket = this.#own(secure);
        this.#readingPaused = false;
        secure.on('data', onData);
        this.#lastActivity = this.#settings.clock.now();
        done({ protocol: secure.getProtocol() ?? 'unknown', cipher: secure.getCipher().standardName ?? secure.getCipher().name });
      },
      failed: (reason) => {
        this.#closeReason ??= reason === 'tls-handshake-timeout' ? 'tls-timeout' : reason.startsWith('starttls-') ? 'tls-aborted' : 'tls-failed';
      },
    });
  }

  #own(socket: Socket): OwnedSocket {
    const owned = socket as OwnedSocket;
    owned[CONNECTION] = this;
    socket.on('end', onEnd);
    socket.on('error', onError);
    return owned;
  }

  // Socket events

  received(chunk: Buffer): void {
    this.#lastActivity = this.#settings.clock.now();
    this.#protocol.receive(chunk);
  }

  peerEnded(): void {
    if (!this.#protocol.closed) {
      this.#protocol.endOfInput();
      return;
    }
    // Both sides are done. Destroy once our last bytes are flushed.
    const socket = this.#socket;
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', destroyWhenFlushed);
  }

  drained(): void {
    this.#lastActivity = this.#settings.clock.now();
    this.#protocol.writable();
  }

  failed(error: Error): void {
    this.#closeReason ??= 'socket-error';
    // Resets and broken pipes are the peer's business, not the server's.
    this.#settings.emit?.({ type: 'socket-error', session: this.session, error });
  }

  closed(): void {
    if (this.#gone) return;
    this.#gone = true;
    const reason = this.#closeReason ?? 'peer-closed';
    this.#protocol.destroyed(reason);
    this.#settings.emit?.({ type: 'close', session: this.session, reason, durationMs: Date.now() - this.session.openedAt });
    this.#onGone(this);
  }

  /** Called by the idle clock: enforces idleTimeoutMs while open and closeDrainMs while closing. */
  sweep(now: number): void {
    if (this.#gone) return;
    if (this.#protocol.closed) {
      if (now >= this.#drainDeadline) this.#socket.destroy();
      return;
    }
    if (now - this.#lastActivity >= this.#settings.limits.idleTimeoutMs) {
      this.#lastActivity = now;
      this.#protocol.timeout();
    }
  }
}
