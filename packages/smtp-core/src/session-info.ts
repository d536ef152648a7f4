import { ReplyCounts } from './reply-counts.js';
import type { Envelope } from './session/envelope.js';
import type { AuthInfo } from './session/session-security.js';

/** The TLS layer after STARTTLS (RFC 3207). */
export interface TlsInfo {
  /** e.g. `TLSv1.3`. */
  readonly protocol: string;
  /** The negotiated cipher suite's standard name, e.g. `TLS_AES_256_GCM_SHA384`. */
  readonly cipher: string;
}

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
  /** Set once a STARTTLS handshake completed. */
  readonly tls: TlsInfo | undefined;
  /** Set by a successful AUTH: the mechanism and authorization identity, never the credentials. */
  readonly auth: AuthInfo | undefined;
  /** Messages whose end-of-data got a 2xx reply. */
  readonly messagesAccepted: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** How many replies of each code were sent. */
  readonly replyCounts: ReadonlyMap<number, number>;
}

/**
 * Where the local end of a connection is, e.g. the socket itself: read on first use (a
 * system call most policies never need).
 */
export interface LocalAddressSource {
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
}

/** The local end once the socket has told it: kept in place of the source, so no extra field. */
class KnownLocal implements LocalAddressSource {
  constructor(
    readonly localAddress: string,
    readonly localPort: number,
  ) {}
}

export class MutableSessionInfo implements SessionInfo {
  helo: string | undefined = undefined;
  esmtp = false;
  envelope: Envelope | undefined = undefined;
  tls: TlsInfo | undefined = undefined;
  auth: AuthInfo | undefined = undefined;
  messagesAccepted = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly replyCounts = new ReplyCounts();
  readonly openedAt = Date.now();
  #local: LocalAddressSource;

  constructor(
    readonly id: string,
    readonly remoteAddress: string,
    readonly remotePort: number,
    local: LocalAddressSource,
  ) {
    this.#local = local;
  }

  get localAddress(): string {
    return this.#resolveLocal().localAddress;
  }

  get localPort(): number {
    return this.#resolveLocal().localPort;
  }

  countReply(code: number): void {
    this.replyCounts.add(code);
  }

  #resolveLocal(): KnownLocal {
    const local = this.#local;
    if (local instanceof KnownLocal) return local;
    const known = new KnownLocal(local.localAddress ?? '', local.localPort ?? 0);
    // Once the socket is gone it cannot tell; keep asking until it has answered.
    if (local.localAddress !== undefined) this.#local = known;
    return known;
  }
}
