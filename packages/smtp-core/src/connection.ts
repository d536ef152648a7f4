import type { Socket } from 'node:net';
import type { CloseReason, EventSink } from './events.js';
import type { Sweepable } from './idle-clock.js';
import type { Limits } from './limits.js';
import type { PolicyFactory, SessionPolicy } from './policy.js';
import { MutableSessionInfo } from './session-info.js';
import type { ProtocolTransport } from './session/protocol-types.js';
import type { SessionMachineConfig } from './session/session-machine.js';
import { SmtpProtocol } from './session/smtp-protocol.js';
import type { HeaderBudget } from './wire/header-budget.js';
import type { ReplyEncoder } from './wire/reply-format.js';

export interface ConnectionSettings {
  readonly machine: SessionMachineConfig;
  readonly limits: Limits;
  readonly encoder: ReplyEncoder;
  readonly policy: PolicyFactory;
  readonly emit: EventSink | undefined;
  readonly traceCommands: boolean;
  readonly headerBudget: HeaderBudget;
}

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
 * The only code that touches a socket: it feeds bytes to an {@link SmtpProtocol}, writes its
 * replies, keeps the inactivity deadline, and closes gracefully. A close never resets the
 * peer: the server half-closes and keeps reading (and dropping) until the client closes or
 * `closeDrainMs` passes, because closing with unread input makes the kernel send RST and the
 * client would never read the final reply.
 */
export class SmtpConnection implements ProtocolTransport, Sweepable {
  readonly session: MutableSessionInfo;
  readonly #socket: OwnedSocket;
  readonly #protocol: SmtpProtocol;
  readonly #limits: Limits;
  readonly #emit: EventSink | undefined;
  readonly #onGone: (connection: SmtpConnection) => void;
  #lastActivity: number;
  /** Set once the server half-closed: the socket is destroyed at this time if the peer has not closed. */
  #drainDeadline = Number.POSITIVE_INFINITY;
  #closeReason: CloseReason | undefined;
  #gone = false;

  constructor(socket: Socket, id: string, settings: ConnectionSettings, onGone: (connection: SmtpConnection) => void) {
    const owned = socket as OwnedSocket;
    owned[CONNECTION] = this;
    this.#socket = owned;
    this.#limits = settings.limits;
    this.#emit = settings.emit;
    this.#lastActivity = Date.now();
    this.#onGone = onGone;
    this.session = new MutableSessionInfo(id, socket.remoteAddress ?? '', socket.remotePort ?? 0, () => ({
      address: socket.localAddress,
      port: socket.localPort,
    }));
    this.#protocol = new SmtpProtocol({
      machine: settings.machine,
      limits: settings.limits,
      encoder: settings.encoder,
      session: this.session,
      emit: settings.emit,
      traceCommands: settings.traceCommands,
      headerBudget: settings.headerBudget,
      transport: this,
    });
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('drain', onDrain);
    socket.on('error', onError);
    socket.on('close', onClose);
    this.#emit?.({ type: 'connect', session: this.session });
    this.#protocol.start(this.#createPolicy(settings.policy));
  }

  /** Server shutdown: see {@link SmtpProtocol.shutdown}. */
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
    this.#lastActivity = Date.now();
    return this.#socket.write(bytes);
  }

  end(reason: CloseReason): void {
    this.#closeReason ??= reason;
    this.#drainDeadline = Date.now() + this.#limits.closeDrainMs;
    this.#socket.end();
    this.#socket.resume();
  }

  pauseReading(paused: boolean): void {
    if (paused) this.#socket.pause();
    else this.#socket.resume();
  }

  // Socket events

  received(chunk: Buffer): void {
    this.#lastActivity = Date.now();
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
    this.#lastActivity = Date.now();
    this.#protocol.writable();
  }

  failed(error: Error): void {
    this.#closeReason ??= 'socket-error';
    // Resets and broken pipes are the peer's business, not the server's.
    this.#emit?.({ type: 'socket-error', session: this.session, error });
  }

  closed(): void {
    if (this.#gone) return;
    this.#gone = true;
    const reason = this.#closeReason ?? 'peer-closed';
    this.#protocol.destroyed(reason);
    this.#emit?.({ type: 'close', session: this.session, reason, durationMs: Date.now() - this.session.openedAt });
    this.#onGone(this);
  }

  /** Called by the idle clock: enforces idleTimeoutMs while open and closeDrainMs while closing. */
  sweep(now: number): void {
    if (this.#gone) return;
    if (this.#protocol.closed) {
      if (now >= this.#drainDeadline) this.#socket.destroy();
      return;
    }
    if (now - this.#lastActivity >= this.#limits.idleTimeoutMs) {
      this.#lastActivity = now;
      this.#protocol.timeout();
    }
  }

  #createPolicy(factory: PolicyFactory): SessionPolicy | PromiseLike<SessionPolicy> {
    try {
      return factory(this.session);
    } catch (error) {
      // Reported (once) by the protocol when it sees the rejection.
      return Promise.reject(error);
    }
  }
}
