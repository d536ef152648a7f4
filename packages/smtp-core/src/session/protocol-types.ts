import type { CloseReason, EventSink } from '../events.js';
import type { Limits } from '../limits.js';
import type { MutableSessionInfo } from '../session-info.js';
import type { HeaderBudget } from '../wire/header-budget.js';
import type { ReplyEncoder } from '../wire/reply-format.js';
import type { SessionMachineConfig } from './session-machine.js';

/** The I/O side of a session, implemented by the socket driver (or by a test). */
export interface ProtocolTransport {
  /** Sends bytes; false when the peer is not reading and the write buffer is full. */
  write(bytes: Buffer): boolean;
  /** Half-closes once everything written is flushed; input that follows is read and dropped. */
  end(reason: CloseReason): void;
  /** Stop (true) or restart (false) reading from the peer. */
  pauseReading(paused: boolean): void;
}

export interface ProtocolTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const REAL_TIMERS: ProtocolTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type ProtocolLimits = Pick<Limits, 'maxLineLength' | 'maxMessageSize' | 'maxHeaderBytes' | 'hookTimeoutMs' | 'maxOutputBufferBytes'>;

export interface SmtpProtocolOptions {
  readonly machine: SessionMachineConfig;
  readonly limits: ProtocolLimits;
  readonly encoder: ReplyEncoder;
  readonly session: MutableSessionInfo;
  readonly transport: ProtocolTransport;
  readonly emit?: EventSink | undefined;
  readonly traceCommands?: boolean | undefined;
  readonly timers?: ProtocolTimers | undefined;
  /** Bounds the header bytes all sessions of a server capture at once (maxHeaderBytesTotal). */
  readonly headerBudget?: HeaderBudget | undefined;
}
