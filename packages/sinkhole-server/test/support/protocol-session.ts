import { createProtocolSession, type CloseReason, type LimitOverrides, type PolicyFactory, type ProtocolSession as EngineSession, type SessionInfo } from '@sinkhole/smtp-core';

let serial = 0;

/** One SMTP session driven without a socket, through the engine's own createProtocolSession. */
export class ProtocolSession {
  readonly protocol: EngineSession;
  #out = '';
  endReason: CloseReason | undefined;

  constructor(factory: PolicyFactory, options: { readonly remoteAddress?: string; readonly limits?: LimitOverrides; readonly protocol?: 'smtp' | 'lmtp' } = {}) {
    serial++;
    this.protocol = createProtocolSession({
      settings: { hostname: 'sink.test', limits: options.limits, protocol: options.protocol },
      policy: factory,
      id: `test-${serial}`,
      remoteAddress: options.remoteAddress ?? '192.0.2.1',
      remotePort: 40_000 + serial,
      local: { localAddress: '127.0.0.1', localPort: 25 },
      transport: {
        write: (bytes) => {
          this.#out += bytes.toString('latin1');
          return true;
        },
        end: (reason) => {
          this.endReason = reason;
        },
        pauseReading: () => undefined,
      },
    });
  }

  get session(): SessionInfo {
    return this.protocol.session;
  }

  /** Sends lines (CRLF added to each) and returns the final lines of the replies they produced. */
  send(...lines: string[]): string[] {
    const before = this.#out.length;
    this.protocol.receive(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
    return finalLines(this.#out.slice(before));
  }

  /** Raw bytes, no CRLF added. */
  write(text: string): string[] {
    const before = this.#out.length;
    this.protocol.receive(Buffer.from(text, 'utf8'));
    return finalLines(this.#out.slice(before));
  }

  get replies(): string[] {
    return finalLines(this.#out);
  }

  /** The connection is gone (runs the policy's onClose). */
  close(reason: CloseReason = 'peer-closed'): void {
    this.protocol.destroyed(reason);
  }
}

function finalLines(text: string): string[] {
  return text.split('\r\n').filter((line) => /^\d{3}( |$)/.test(line));
}
