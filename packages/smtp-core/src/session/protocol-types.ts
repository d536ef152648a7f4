import type { CloseReason } from '../events.js';
import type { StartTlsAbort } from '../policy.js';
import type { TlsInfo } from '../session-info.js';

/** The I/O side of a session, implemented by the socket driver (or by a test). */
export interface ProtocolTransport {
  /** Sends bytes; false when the peer is not reading and the write buffer is full. */
  write(bytes: Buffer): boolean;
  /** Half-closes once everything written is flushed; input that follows is read and dropped. */
  end(reason: CloseReason): void;
  /** Resets the connection (RST) at once; transports without it half-close instead. */
  reset?(reason: CloseReason): void;
  /** Stop (true) or restart (false) reading from the peer. */
  pauseReading(paused: boolean): void;
  /** False when no TLS handshake can start now (STARTTLS then gets 454); absent: no TLS at all. */
  tlsAvailable?(): boolean;
  /**
   * After STARTTLS's 220 was written: runs the TLS handshake on the connection and calls `done`
   * with what was negotiated. A failed or timed-out handshake (or `abort`) closes the connection
   * instead, and `done` is never called.
   */
  startTls?(abort: StartTlsAbort | undefined, done: (tls: TlsInfo) => void): void;
}
