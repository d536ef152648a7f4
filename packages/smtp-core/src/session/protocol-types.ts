import type { CloseReason } from '../events.js';

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
}
