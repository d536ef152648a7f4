import type { CloseReason } from './events.js';
import type { Sweepable } from './idle-clock.js';
import type { PolicyFactory } from './policy.js';
import type { LocalAddressSource, SessionInfo } from './session-info.js';
import { createProtocolSession, type ProtocolSession } from './session/create-protocol-session.js';
import type { ProtocolSettings } from './session/protocol-settings.js';
import type { ProtocolTransport } from './session/protocol-types.js';

/** Where a connection's session comes from, passed down by the server. */
export interface ConnectionStart {
  readonly id: string;
  readonly settings: ProtocolSettings;
  readonly policy: PolicyFactory;
  readonly onGone: (connection: SmtpConnection) => void;
}

/**
 * What every connection does whatever carries its bytes (a `net.Socket`, see
 * socket-connection.ts, or a bare TCP handle, see handle-connection.ts): it feeds bytes to a
 * {@link ProtocolSession}, writes its replies, keeps the inactivity deadline, and closes
 * gracefully. A close never resets the peer: the server half-closes and keeps reading (and
 * dropping) until the client closes or `closeDrainMs` passes, because closing with unread
 * input makes the kernel send RST and the client would never read the final reply.
 */
export abstract class SmtpConnection implements ProtocolTransport, Sweepable {
  protected readonly settings: ProtocolSettings;
  readonly #onGone: (connection: SmtpConnection) => void;
  #protocol: ProtocolSession | undefined;
  /** When the session last read or wrote, on the settings' clock. */
  #lastActivity: number;
  /** Set once the server half-closed: the connection is destroyed at this time if the peer has not closed. */
  #drainDeadline = Number.POSITIVE_INFINITY;
  #closeReason: CloseReason | undefined;
  /** A write that failed while the session was being created (the greeting to a client that had reset). */
  #earlyFailure: Error | undefined;
  /** The session asked to stop reading (a pending hook, a full output buffer, the TLS handshake). */
  protected readingPaused = false;
  #gone = false;

  protected constructor(start: ConnectionStart) {
    this.settings = start.settings;
    this.#onGone = start.onGone;
    this.#lastActivity = start.settings.clock.now();
  }

  /** Starts the session once the subclass can write (its greeting may go out at once). */
  protected startSession(start: ConnectionStart, remoteAddress: string, remotePort: number, local: LocalAddressSource): void {
    this.#protocol = createProtocolSession({ settings: start.settings, transport: this, policy: start.policy, id: start.id, remoteAddress, remotePort, local });
    const early = this.#earlyFailure;
    this.#earlyFailure = undefined;
    if (early !== undefined) this.settings.emit?.({ type: 'socket-error', session: this.session, error: early });
  }

  get session(): SessionInfo {
    return this.#session().session;
  }

  /** Server shutdown: see {@link ProtocolSession.shutdown}. */
  shutdown(): void {
    this.#session().shutdown();
  }

  /** Ends the connection at once (grace period over). */
  destroy(): void {
    this.#closeReason ??= 'destroyed';
    this.destroyNow();
  }

  // ProtocolTransport

  write(bytes: Buffer): boolean {
    this.#lastActivity = this.settings.clock.now();
    return this.send(bytes);
  }

  end(reason: CloseReason): void {
    this.#closeReason ??= reason;
    this.#drainDeadline = this.settings.clock.now() + this.settings.limits.closeDrainMs;
    this.halfClose();
    // Keep reading (and dropping) until the peer closes; see the class comment.
    if (this.readingPaused) this.pauseReading(false);
  }

  reset(reason: CloseReason): void {
    this.#closeReason ??= reason;
    this.resetNow();
  }

  pauseReading(paused: boolean): void {
    this.readingPaused = paused;
    this.setPaused(paused);
  }

  // What carries the bytes

  /** Writes bytes; false when they had to be buffered past the high-water mark ({@link drained} follows). */
  protected abstract send(bytes: Buffer): boolean;
  /** Half-closes (FIN) once what was written is flushed. */
  protected abstract halfClose(): void;
  /** SO_LINGER 0 then close: the peer gets an RST, not a FIN (bytes still unsent are lost). */
  protected abstract resetNow(): void;
  protected abstract setPaused(paused: boolean): void;
  /** Closes now; {@link closed} follows once it is. */
  protected abstract destroyNow(): void;
  /** Closes once what was written is flushed. */
  protected abstract destroyWhenFlushed(): void;

  // Events of what carries the bytes

  received(chunk: Buffer): void {
    this.#lastActivity = this.settings.clock.now();
    this.#session().receive(chunk);
  }

  peerEnded(): void {
    const protocol = this.#session();
    if (!protocol.closed) {
      protocol.endOfInput();
      return;
    }
    // Both sides are done.
    this.destroyWhenFlushed();
  }

  drained(): void {
    this.#lastActivity = this.settings.clock.now();
    this.#session().writable();
  }

  failed(error: Error): void {
    this.#closeReason ??= 'socket-error';
    // Reported once there is a session to name (see startSession).
    if (this.#protocol === undefined) this.#earlyFailure ??= error;
    // Resets and broken pipes are the peer's business, not the server's.
    else this.settings.emit?.({ type: 'socket-error', session: this.session, error });
  }

  /** Names the close reason when nothing did before (a failed TLS handshake). */
  protected closingBecause(reason: CloseReason): void {
    this.#closeReason ??= reason;
  }

  /** Stamps activity (a finished TLS handshake). */
  protected touched(): void {
    this.#lastActivity = this.settings.clock.now();
  }

  closed(): void {
    if (this.#gone) return;
    this.#gone = true;
    const reason = this.#closeReason ?? 'peer-closed';
    this.#session().destroyed(reason);
    this.settings.emit?.({ type: 'close', session: this.session, reason, durationMs: Date.now() - this.session.openedAt });
    this.#onGone(this);
  }

  /** Called by the idle clock: enforces idleTimeoutMs while open and closeDrainMs while closing. */
  sweep(now: number): void {
    if (this.#gone) return;
    const protocol = this.#session();
    if (protocol.closed) {
      if (now >= this.#drainDeadline) this.destroyNow();
      return;
    }
    if (now - this.#lastActivity >= this.settings.limits.idleTimeoutMs) {
      this.#lastActivity = now;
      protocol.timeout();
    }
  }

  #session(): ProtocolSession {
    return this.#protocol as ProtocolSession;
  }
}
