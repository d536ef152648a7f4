import { reply, type Reply } from '../protocol/replies.js';
import { ehloKeywords, type Extensions } from './extensions.js';
import type { SecurityConfig } from './session-security.js';

export interface SessionMachineConfig extends SecurityConfig {
  /** Name in the greeting and the EHLO reply. */
  readonly hostname: string;
  readonly extensions: Extensions;
  readonly maxMessageSize: number;
  readonly maxRecipients: number;
  /** Syntax and sequence errors tolerated before the session is closed with 421. */
  readonly maxProtocolErrors: number;
  /** RFC 5321 §4.1.4: a client MUST say HELO/EHLO before MAIL; answer 503 when it does not. */
  readonly requireHelo: boolean;
  /** LMTP (RFC 2033): LHLO instead of EHLO/HELO, and one reply per recipient after the data. */
  readonly lmtp?: boolean | undefined;
}

/** The replies a machine builds from its configuration, once per configuration. */
export interface Greetings {
  readonly greeting: Reply;
  readonly helo: Reply;
  readonly ehlo: Reply;
}

// A server shares one config object among its sessions: build (and encode) these once.
const GREETINGS = new WeakMap<SessionMachineConfig, Greetings>();

export function greetingsFor(config: SessionMachineConfig): Greetings {
  let greetings = GREETINGS.get(config);
  if (greetings === undefined) {
    greetings = {
      greeting: reply(220, null, `${config.hostname} ${config.lmtp === true ? 'LMTP' : 'ESMTP'} ready`),
      helo: reply(250, null, config.hostname),
      ehlo: reply(250, null, [config.hostname, ...ehloKeywords(config.extensions, config.maxMessageSize)]),
    };
    GREETINGS.set(config, greetings);
  }
  return greetings;
}

export const HELP_REPLY = reply(214, '2.0.0', [
  'Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP',
  'See RFC 5321',
]);
