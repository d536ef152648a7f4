import {
  DEFAULT_EXTENSIONS,
  MutableSessionInfo,
  ReplyEncoder,
  resolveLimits,
  SmtpProtocol,
  type CloseReason,
  type Limits,
  type PolicyFactory,
} from '@sinkhole/smtp-core';

let serial = 0;

/** One SMTP session driven without a socket, through the engine's own SmtpProtocol. */
export class ProtocolSession {
  readonly session: MutableSessionInfo;
  readonly protocol: SmtpProtocol;
  #out = '';
  endReason: CloseReason | undefined;

  constructor(factory: PolicyFactory, options: { readonly remoteAddress?: string; readonly limits?: Partial<Limits> } = {}) {
    serial++;
    this.session = new MutableSessionInfo(`test-${serial}`, options.remoteAddress ?? '192.0.2.1', 40_000 + serial, { address: '127.0.0.1', port: 25 });
    const limits = resolveLimits(options.limits);
    this.protocol = new SmtpProtocol({
      machine: {
        hostname: 'sink.test',
        extensions: DEFAULT_EXTENSIONS,
        maxMessageSize: limits.maxMessageSize,
        maxRecipients: limits.maxRecipients,
        maxProtocolErrors: limits.maxProtocolErrors,
        requireHelo: true,
      },
      limits,
      encoder: new ReplyEncoder(true),
      session: this.session,
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
    this.protocol.start(factory(this.session));
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
