import type { Socket } from 'node:net';
import type { CloseReason, EventSink } from './events.js';
import type { Limits } from './limits.js';
import type { PolicyFactory, SessionPolicy } from './policy.js';
import { MutableSessionInfo } from './session-info.js';
import type { SessionMachineConfig } from './session/session-machine.js';
import { SmtpProtocol } from './session/smtp-protocol.js';
import type { ReplyEncoder } from './wire/reply-format.js';

export interface ConnectionSettings {
  readonly machine: SessionMachineConfig;
  readonly limits: Limits;
  readonly encoder: ReplyEncoder;
  readonly policy: PolicyFactory;
  readonly emit: EventSink | undefined;
  readonly traceCommands: boolean;
}

/**
 * The only code that touches a socket: it feeds bytes to an {@link SmtpProtocol}, writes its
 * replies, owns the idle timer, and closes gracefully. A close never resets the peer: the
 * server half-closes and keeps reading (and dropping) until the client closes or
 * `closeDrainMs` passes, because closing with unread input makes the kernel send RST and the
 * client would never read the final reply.
 */
export class SmtpConnection {
  readonly session: MutableSessionInfo;
  readonly #socket: Socket;
  readonly #protocol: SmtpProtocol;
  readonly #limits: Limits;
  readonly #emit: EventSink | undefined;
  readonly #onGone: (connection: SmtpConnection) => void;
  #closeReason: CloseReason | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #gone = false;

  constructor(socket: Socket, id: string, settings: ConnectionSettings, onGone: (connection: SmtpConnection) => void) {
    this.#socket = socket;
    this.#limits = settings.limits;
    this.#emit = settings.emit;
    this.#onGone = onGone;
    this.session = new MutableSessionInfo(
      id,
      socket.remoteAddress ?? '',
      socket.remotePort ?? 0,
      socket.localAddress ?? '',
      socket.localPort ?? 0,
    );
    this.#protocol = new SmtpProtocol({
      machine: settings.machine,
      limits: settings.limits,
      encoder: settings.encoder,
      session: this.session,
      emit: settings.emit,
      traceCommands: settings.traceCommands,
      transport: {
        write: (bytes) => socket.write(bytes),
        end: (reason) => this.#endGracefully(reason),
        pauseReading: (paused) => (paused ? socket.pause() : socket.resume()),
      },
    });
    socket.setTimeout(settings.limits.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.#protocol.receive(chunk));
    socket.on('end', () => this.#onPeerEnd());
    socket.on('drain', () => this.#protocol.writable());
    socket.on('timeout', () => this.#onTimeout());
    socket.on('error', (error: Error) => this.#onError(error));
    socket.on('close', () => this.#onClose());
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

  #createPolicy(factory: PolicyFactory): SessionPolicy | PromiseLike<SessionPolicy> {
    try {
      return factory(this.session);
    } catch (error) {
      this.#emit?.({ type: 'hook-error', session: this.session, hook: 'factory', error });
      return Promise.reject(error);
    }
  }

  #endGracefully(reason: CloseReason): void {
    this.#closeReason ??= reason;
    const socket = this.#socket;
    socket.end();
    socket.resume();
    this.#drainTimer = setTimeout(() => socket.destroy(), this.#limits.closeDrainMs);
    this.#drainTimer.unref();
  }

  #onPeerEnd(): void {
    if (!this.#protocol.closed) {
      this.#protocol.endOfInput();
      return;
    }
    // Both sides are done. Destroy once our last bytes are flushed.
    const socket = this.#socket;
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', () => socket.destroy());
  }

  #onTimeout(): void {
    if (this.#protocol.closed) {
      this.#socket.destroy();
      return;
    }
    this.#protocol.timeout();
  }

  #onError(error: Error): void {
    this.#closeReason ??= 'socket-error';
    // Resets and broken pipes are the peer's business, not the server's.
    this.#emit?.({ type: 'socket-error', session: this.session, error });
  }

  #onClose(): void {
    if (this.#gone) return;
    this.#gone = true;
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    const reason = this.#closeReason ?? 'peer-closed';
    this.#protocol.destroyed(reason);
    this.#emit?.({ type: 'close', session: this.session, reason, durationMs: Date.now() - this.session.openedAt });
    this.#onGone(this);
  }
}
