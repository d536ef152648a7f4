import { SYSTEM_CLOCK, type ProtocolClock } from '../clock.js';
import { SmtpCoreError } from '../errors.js';
import type { EventSink } from '../events.js';
import { resolveLimits, type LimitOverrides, type Limits } from '../limits.js';
import { HeaderBudget } from '../wire/header-budget.js';
import { ReplyEncoder } from '../wire/reply-format.js';
import { DEFAULT_EXTENSIONS, type Extensions } from './extensions.js';
import type { SessionMachineConfig } from './session-machine.js';

/** What the sessions of one server have in common. */
export interface ProtocolConfig {
  /** Name in the greeting and the EHLO reply: printable ASCII without spaces. */
  readonly hostname: string;
  readonly limits?: LimitOverrides | undefined;
  /** Hide extensions (each defaults to on). */
  readonly extensions?: Partial<Extensions> | undefined;
  /** Answer MAIL before HELO/EHLO with 503 (RFC 5321 §4.1.4). Default true. */
  readonly requireHelo?: boolean | undefined;
  /** Offer STARTTLS (the transport must implement startTls); `tlsRequired`: 530 before it. */
  readonly starttls?: boolean | undefined;
  readonly tlsRequired?: boolean | undefined;
  /** 'lmtp': speak LMTP (RFC 2033): LHLO, and one reply per recipient after the data. Default 'smtp'. */
  readonly protocol?: 'smtp' | 'lmtp' | undefined;
  /** Offer AUTH PLAIN LOGIN. */
  readonly auth?: boolean | undefined;
  /** Telemetry; events never carry message bytes. */
  readonly onEvent?: EventSink | undefined;
  /** Also emit one event per command and per reply (costs some speed). */
  readonly traceCommands?: boolean | undefined;
  /** Time for every deadline (hook waits, idle, drain); default the system's monotonic clock. */
  readonly clock?: ProtocolClock | undefined;
}

/**
 * A {@link ProtocolConfig} checked and built once: the machine's configuration (and with it
 * the greeting and EHLO replies, encoded once), the reply encoder, and the header budget
 * that every session built from these settings shares (maxHeaderBytesTotal).
 */
export class ProtocolSettings {
  readonly machine: SessionMachineConfig;
  readonly limits: Limits;
  readonly encoder: ReplyEncoder;
  readonly emit: EventSink | undefined;
  /** Command and reply events are wanted (and someone listens). */
  readonly trace: boolean;
  readonly clock: ProtocolClock;
  readonly headerBudget: HeaderBudget;

  constructor(config: ProtocolConfig) {
    const hostname = config.hostname;
    if (typeof hostname !== 'string' || !/^[\x21-\x7e]+$/.test(hostname)) {
      throw new SmtpCoreError('ERR_SMTP_INVALID_OPTION', `hostname must be printable ASCII without spaces, got "${String(hostname)}"`);
    }
    const limits = resolveLimits(config.limits);
    const extensions = { ...DEFAULT_EXTENSIONS, ...config.extensions };
    this.machine = {
      hostname,
      extensions,
      maxMessageSize: limits.maxMessageSize,
      maxRecipients: limits.maxRecipients,
      maxProtocolErrors: limits.maxProtocolErrors,
      requireHelo: config.requireHelo ?? true,
      starttls: config.starttls === true,
      tlsRequired: config.starttls === true && config.tlsRequired === true,
      auth: config.auth === true,
      lmtp: config.protocol === 'lmtp',
    };
    if (config.protocol !== undefined && config.protocol !== 'smtp' && config.protocol !== 'lmtp') {
      throw new SmtpCoreError('ERR_SMTP_INVALID_OPTION', `protocol must be 'smtp' or 'lmtp', got "${String(config.protocol)}"`);
    }
    this.limits = limits;
    this.encoder = new ReplyEncoder(extensions.enhancedStatusCodes);
    this.emit = config.onEvent;
    this.trace = config.traceCommands === true && config.onEvent !== undefined;
    this.clock = config.clock ?? SYSTEM_CLOCK;
    this.headerBudget = new HeaderBudget(limits.maxHeaderBytesTotal);
  }
}

/** Checks `config` and builds the settings a server's sessions share; throws `ERR_SMTP_INVALID_OPTION`. */
export function protocolSettings(config: ProtocolConfig): ProtocolSettings {
  return new ProtocolSettings(config);
}
