import type { LimitName } from './limits.js';
import type { SessionInfo } from './session-info.js';
import type { HookName } from './session/session-machine.js';

/** Why a connection ended. */
export type CloseReason =
  | 'quit'
  | 'peer-closed'
  | 'reply-421'
  | 'idle-timeout'
  | 'shutdown'
  | 'socket-error'
  | 'too-many-connections'
  | 'destroyed'
  /** A policy action closed the connection after its reply (or instead of one). */
  | 'policy-close'
  /** A policy action reset the connection. */
  | 'policy-reset'
  /** The TLS handshake after STARTTLS failed, timed out, or was broken on purpose (StartTlsAbort). */
  | 'tls-failed'
  | 'tls-timeout'
  | 'tls-aborted';

/**
 * Telemetry. Events carry envelope facts (addresses, sizes, codes) and never message bytes.
 * `command` and `reply` events are sent only when the server was created with `traceCommands`.
 */
export type SmtpEvent =
  | { readonly type: 'connect'; readonly session: SessionInfo }
  | { readonly type: 'close'; readonly session: SessionInfo; readonly reason: CloseReason; readonly durationMs: number }
  | { readonly type: 'command'; readonly session: SessionInfo; readonly verb: string }
  | { readonly type: 'reply'; readonly session: SessionInfo; readonly code: number; readonly enhanced: string | undefined }
  | { readonly type: 'limit'; readonly session: SessionInfo | undefined; readonly limit: LimitName; readonly value: number }
  | { readonly type: 'hook-error'; readonly session: SessionInfo; readonly hook: HookName | 'factory' | 'data-chunk' | 'close'; readonly error: unknown }
  | { readonly type: 'hook-timeout'; readonly session: SessionInfo; readonly hook: HookName | 'factory' | 'data-chunk'; readonly timeoutMs: number }
  | { readonly type: 'socket-error'; readonly session: SessionInfo; readonly error: Error };

export type EventSink = (event: SmtpEvent) => void;
