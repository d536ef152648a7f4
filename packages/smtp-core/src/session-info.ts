import type { Envelope } from './session/envelope.js';

/** What a policy hook knows about the connection. Values are live: they change as the session goes on. */
export interface SessionInfo {
  /** Unique per server process, e.g. `k3f9a-12`. */
  readonly id: string;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** `Date.now()` when the connection was accepted. */
  readonly openedAt: number;
  /** Domain of the last accepted HELO/EHLO. */
  readonly helo: string | undefined;
  /** True after an accepted EHLO. */
  readonly esmtp: boolean;
  /** The transaction in progress, if any. */
  readonly envelope: Envelope | undefined;
  /** Messages whose end-of-data got a 2xx reply. */
  readonly messagesAccepted: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** How many replies of each code were sent. */
  readonly replyCounts: ReadonlyMap<number, number>;
}

export class MutableSessionInfo implements SessionInfo {
  helo: string | undefined = undefined;
  esmtp = false;
  envelope: Envelope | undefined = undefined;
  messagesAccepted = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly replyCounts = new Map<number, number>();
  readonly openedAt = Date.now();

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
    readonly remotePort: number,
    readonly localAddress: string,
    readonly localPort: number,
  ) {}

  countReply(code: number): void {
    this.replyCounts.set(code, (this.replyCounts.get(code) ?? 0) + 1);
  }
}
