import type { CloseReason } from '../events.js';
import type { PolicyFactory, SessionPolicy } from '../policy.js';
import { MutableSessionInfo, type LocalAddressSource, type SessionInfo } from '../session-info.js';
import { ProtocolSettings, type ProtocolConfig } from './protocol-settings.js';
import type { ProtocolTransport } from './protocol-types.js';
import { SmtpProtocol } from './smtp-protocol.js';

/**
 * One SMTP session without a socket: bytes in through {@link receive}, replies out through the
 * transport. Replies produced from one input chunk are written together (RFC 2920 §3.1).
 */
export interface ProtocolSession {
  /** What the policy sees; live. */
  readonly session: SessionInfo;
  /** True once the session has ended its side (transport.end) or the connection is gone. */
  readonly closed: boolean;
  /**
   * Bytes from the peer. The session never keeps a reference to `chunk` (or a view of it) once
   * this returns, so the caller may overwrite it at once (e.g. reuse one read buffer per socket):
   * bytes that must outlive the call (a partial line, commands pipelined behind a pending hook,
   * header bytes) are copied, only the ones not yet consumed. Body pieces handed to
   * `onDataChunk` are views, valid only during that call.
   */
  receive(chunk: Buffer): void;
  /** The peer half-closed its side: what it sent is answered, then the session ends. */
  endOfInput(): void;
  /** The transport can take more bytes again (after a write returned false). */
  writable(): void;
  /** The idle deadline passed: 421 and close, unless a hook is pending (it has its own timeout). */
  timeout(): void;
  /**
   * The server is stopping: a session waiting for a command gets 421 at once; one inside DATA
   * or waiting for a hook finishes that first, gets its reply, then 421.
   */
  shutdown(): void;
  /** The connection is gone. Pending hooks are abandoned and the policy's onClose runs once. */
  destroyed(reason: CloseReason): void;
}

export interface ProtocolSessionOptions {
  /**
   * Built once with `protocolSettings()` and shared by a server's sessions (they share its
   * header budget and encoded replies), or the config to build them from for this session.
   */
  readonly settings: ProtocolSettings | ProtocolConfig;
  readonly transport: ProtocolTransport;
  /** Called with the new session's info; may return a promise of the policy. */
  readonly policy: PolicyFactory;
  /** Unique per server process. */
  readonly id: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The local end, e.g. the socket (read on first use). */
  readonly local: LocalAddressSource;
}

/**
 * Assembles a session from the settings and the policy, and starts it: the `connect` event,
 * then the policy factory, then (once there is a policy) the greeting. This is the engine
 * without sockets, for the server itself, for fuzzers, tests and benchmarks.
 */
export function createProtocolSession(options: ProtocolSessionOptions): ProtocolSession {
  const settings = options.settings instanceof ProtocolSettings ? options.settings : new ProtocolSettings(options.settings);
  const session = new MutableSessionInfo(options.id, options.remoteAddress, options.remotePort, options.local);
  const protocol = new SmtpProtocol(settings, session, options.transport);
  settings.emit?.({ type: 'connect', session });
  protocol.start(createPolicy(options.policy, session));
  return protocol;
}

function createPolicy(factory: PolicyFactory, session: SessionInfo): SessionPolicy | PromiseLike<SessionPolicy> {
  try {
    return factory(session);
  } catch (error) {
    // Reported (once) by the session when it sees the rejection.
    return Promise.reject(error);
  }
}
