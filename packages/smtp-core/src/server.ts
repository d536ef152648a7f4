import { hostname as osHostname } from 'node:os';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { SmtpCoreError } from './errors.js';
import { nodeTls } from './tls/lazy-builtins.js';
import { ServerTls } from './tls/tls-upgrade.js';
import type { ProtocolClock } from './clock.js';
import type { ConnectionStart, SmtpConnection } from './connection.js';
import { HandleConnection } from './handle-connection.js';
import { SocketConnection } from './socket-connection.js';
import { acceptHandles, type TcpHandle } from './tcp-handle.js';
import { ACCEPT_PAUSED, DISCARD, startReading } from './shared-read-buffer.js';
import { IdleClock, idleTickMs } from './idle-clock.js';
import { checkListenBacklog, defaultListenBacklog } from './listen-backlog.js';
import type { EventSink } from './events.js';
import type { LimitOverrides, Limits } from './limits.js';
import { acceptAllPolicy, type PolicyFactory } from './policy.js';
import { REPLY_TOO_MANY_CONNECTIONS } from './protocol/stock-replies.js';
import type { Extensions } from './session/extensions.js';
import { protocolSettings, type ProtocolSettings } from './session/protocol-settings.js';

export interface SmtpServerOptions {
  /** Name in the greeting and the EHLO reply; defaults to the machine's host name. */
  readonly hostname?: string;
  /** Per-connection hooks; default: accept everything and discard bodies. */
  readonly policy?: PolicyFactory;
  readonly limits?: LimitOverrides;
  /** Hide extensions (each defaults to on). */
  readonly extensions?: Partial<Extensions>;
  /** Answer MAIL before HELO/EHLO with 503 (RFC 5321 §4.1.4). Default true. */
  readonly requireHelo?: boolean;
  /** 'lmtp': LMTP (RFC 2033): LHLO instead of EHLO/HELO (which get 500), one reply per recipient after the data. */
  readonly protocol?: 'smtp' | 'lmtp';
  /**
   * STARTTLS (RFC 3207) with this PEM key and certificate (chain). `required`: MAIL, RCPT, DATA,
   * VRFY and AUTH get `530 5.7.0` until the client has done STARTTLS. See also `selfSignedCertificate()`.
   */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer; readonly required?: boolean };
  /** AUTH PLAIN LOGIN (RFC 4954): advertised (after TLS when it is required); the policy's onAuth decides, default accept. */
  readonly auth?: boolean;
  /** Telemetry; events never carry message bytes. */
  readonly onEvent?: EventSink;
  /** Also emit one event per command and per reply (costs some speed). */
  readonly traceCommands?: boolean;
  /** Time for every session deadline (hook waits, idle, drain); default the system's monotonic clock. Tests pass a manual one. */
  readonly clock?: ProtocolClock;
  /**
   * How connections are carried. 'auto' (default): on libuv's TCP handles directly, without a
   * `net.Socket` each (less memory per connection and less CPU per connect), when this Node
   * allows it and TLS is off; on sockets otherwise. 'sockets': always on `net.Socket`s.
   */
  readonly io?: 'auto' | 'sockets';
}

/** What carries the connections of a listening server (see {@link SmtpServerOptions.io}). */
export type IoMode = 'handles' | 'sockets';

export interface ListenOptions {
  /**
   * Connections the kernel queues before the server accepts them (listen(2)); past it new
   * connects are dropped and retried by the client a second or more later. Default 4096, or
   * the kernel's somaxconn when larger (Linux caps every request at it).
   */
  readonly backlog?: number;
}

export interface CloseOptions {
  /** How long sessions in DATA or awaiting a hook may take to finish before they are destroyed. Default 30 s. */
  readonly graceMs?: number;
}

export interface SmtpServer {
  /** Starts listening; port 0 picks a free port. Resolves with the bound address. */
  listen(port: number, host?: string, options?: ListenOptions): Promise<AddressInfo>;
  /**
   * Stops accepting; sessions waiting for a command get `421` at once; sessions inside DATA
   * or awaiting a hook finish it, get their reply, then `421`. Resolves when every connection
   * is gone, destroying what remains when the grace period ends.
   */
  close(options?: CloseOptions): Promise<void>;
  readonly connectionCount: number;
  readonly address: AddressInfo | undefined;
  readonly limits: Limits;
  /** What carries the connections; undefined until the server listens. */
  readonly ioMode: IoMode | undefined;
}

const DEFAULT_GRACE_MS = 30_000;

export function createSmtpServer(options: SmtpServerOptions = {}): SmtpServer {
  return new NetSmtpServer(options);
}

class NetSmtpServer implements SmtpServer {
  readonly limits: Limits;
  readonly #settings: ProtocolSettings;
  readonly #policy: PolicyFactory;
  readonly #forget = (connection: SmtpConnection): void => this.#forgotten(connection);
  readonly #server: Server;
  readonly #connections = new Set<SmtpConnection>();
  readonly #idPrefix = `${Date.now().toString(36)}-`;
  readonly #emit: EventSink | undefined;
  readonly #idleClock: IdleClock;
  readonly #tls: ServerTls | undefined;
  readonly #io: 'auto' | 'sockets';
  #ioMode: IoMode | undefined;
  #nextId = 0;
  #closing: Promise<void> | undefined;
  #allGone: (() => void) | undefined;

  constructor(options: SmtpServerOptions) {
    this.#settings = protocolSettings({
      hostname: options.hostname ?? osHostname(),
      limits: options.limits,
      extensions: options.extensions,
      requireHelo: options.requireHelo,
      protocol: options.protocol,
      starttls: options.tls !== undefined,
      tlsRequired: options.tls?.required === true,
      auth: options.auth === true,
      onEvent: options.onEvent,
      traceCommands: options.traceCommands,
      clock: options.clock,
    });
    this.limits = this.#settings.limits;
    this.#tls = options.tls === undefined ? undefined : serverTls(options.tls, this.limits);
    this.#policy = options.policy ?? acceptAllPolicy;
    this.#emit = options.onEvent;
    this.#io = checkIo(options.io);
    this.#idleClock = new IdleClock(idleTickMs(this.limits.idleTimeoutMs, this.limits.closeDrainMs), this.#connections, this.#settings.clock);
    this.#server = createServer({ allowHalfOpen: true, noDelay: true, ...ACCEPT_PAUSED }, (socket) => this.#accept(socket));
  }

  get ioMode(): IoMode | undefined {
    return this.#ioMode;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  get address(): AddressInfo | undefined {
    const address = this.#server.address();
    return address !== null && typeof address === 'object' ? address : undefined;
  }

  listen(port: number, host = '127.0.0.1', options: ListenOptions = {}): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      // A bad backlog throws here, which rejects the promise.
      const backlog = options.backlog === undefined ? defaultListenBacklog() : checkListenBacklog(options.backlog);
      const onError = (error: Error): void => reject(error);
      this.#server.once('error', onError);
      this.#server.listen({ port, host, backlog }, () => {
        this.#server.off('error', onError);
        // Before the event loop polls, so no connection has been accepted yet.
        const handles = this.#io === 'auto' && this.#tls === undefined && acceptHandles(this.#server, (handle) => this.#acceptHandle(handle));
        this.#ioMode = handles ? 'handles' : 'sockets';
        this.#idleClock.start();
        resolve(this.address as AddressInfo);
      });
    });
  }

  close(options: CloseOptions = {}): Promise<void> {
    this.#closing ??= this.#close(options.graceMs ?? DEFAULT_GRACE_MS);
    return this.#closing;
  }

  async #close(graceMs: number): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      if (!this.#server.listening) resolve();
      else this.#server.close(() => resolve());
    });
    const allGone = new Promise<void>((resolve) => {
      this.#allGone = resolve;
    });
    for (const connection of this.#connections) connection.shutdown();
    if (this.#connections.size === 0) this.#allGone?.();
    const grace = setTimeout(() => {
      for (const connection of this.#connections) connection.destroy();
    }, graceMs);
    await allGone;
    clearTimeout(grace);
    this.#idleClock.stop();
    await stopped;
  }

  #refusing(): boolean {
    return this.#closing !== undefined || this.#connections.size >= this.limits.maxConnections;
  }

  #start(): ConnectionStart {
    return { id: `${this.#idPrefix}${(this.#nextId++).toString(36)}`, settings: this.#settings, policy: this.#policy, onGone: this.#forget };
  }

  #accept(socket: Socket): void {
    if (this.#refusing()) this.#refuse(socket);
    else this.#connections.add(new SocketConnection(socket, this.#start(), this.#tls));
  }

  #acceptHandle(handle: TcpHandle): void {
    // The rare refusal takes the socket path: a net.Socket on the handle, not yet reading.
    if (this.#refusing()) this.#refuse(new Socket({ handle, allowHalfOpen: true, pauseOnCreate: true } as ConstructorParameters<typeof Socket>[0]));
    else this.#connections.add(new HandleConnection(handle, this.#start()));
  }

  #refuse(socket: Socket): void {
    this.#emit?.({ type: 'limit', session: undefined, limit: 'maxConnections', value: this.limits.maxConnections });
    socket.on('error', () => {});
    socket.end(this.#settings.encoder.encode(REPLY_TOO_MANY_CONNECTIONS));
    startReading(socket, DISCARD);
    // Refused sockets are not tracked; a short timer of their own bounds the drain.
    setTimeout(() => socket.destroy(), Math.min(this.limits.closeDrainMs, 2000)).unref();
  }

  #forgotten(connection: SmtpConnection): void {
    this.#connections.delete(connection);
    if (this.#closing !== undefined && this.#connections.size === 0) this.#allGone?.();
  }
}

function checkIo(io: SmtpServerOptions['io']): 'auto' | 'sockets' {
  if (io === undefined || io === 'auto' || io === 'sockets') return io ?? 'auto';
  throw new SmtpCoreError('ERR_SMTP_INVALID_OPTION', `io: must be 'auto' or 'sockets', got ${JSON.stringify(io)}`);
}

function serverTls(tls: NonNullable<SmtpServerOptions['tls']>, limits: Limits): ServerTls {
  try {
    return new ServerTls(nodeTls().createSecureContext({ key: tls.key, cert: tls.cert }), limits.maxTlsHandshakes, limits.tlsHandshakeTimeoutMs);
  } catch (error) {
    throw new SmtpCoreError('ERR_SMTP_INVALID_OPTION', `tls: the key and certificate are not usable: ${error instanceof Error ? error.message : String(error)}`);
  }
}
