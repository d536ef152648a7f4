import { DEFAULT_LIMITS } from '@sinkhole/smtp-core';
import { flag, inRange, oneOf, type FlagSpec } from './flag-spec.js';
import { formatDuration, parseCount, parseDuration } from './values.js';
import { parseExtensionList } from './extension-list.js';

/** Flags that choose the protocol surface: what EHLO advertises and which extensions run. */
export const PROTOCOL_FLAGS = {
  protocol: flag({
    name: 'protocol', env: 'SINKHOLE_PROTOCOL', value: 'smtp|lmtp', group: 'protocol', defaultText: 'smtp', parse: oneOf(['smtp', 'lmtp'] as const),
    help: 'lmtp speaks LMTP (RFC 2033): LHLO instead of EHLO/HELO (which get 500), RCPT answers 250 and each recipient\'s outcome (mode, scenario rcpt rule, address script) is its own reply after the data, in RCPT order. 421 and timed actions stay at RCPT.',
  }),
  extensions: flag({
    name: 'extensions', env: 'SINKHOLE_EXTENSIONS', value: 'LIST', group: 'protocol', defaultText: 'default',
    parse: parseExtensionList,
    help: 'What EHLO advertises: none (plain RFC 5321), default (pipelining, size, 8bitmime, enhancedstatuscodes, smtputf8, dsn, chunking, binarymime), or a comma-separated list of those names, each optionally -name to remove it (default,-8bitmime). A hidden extension\'s parameters get 555.',
  }),
  tls: flag({
    name: 'tls', env: 'SINKHOLE_TLS', value: 'off|on|required', group: 'protocol', defaultText: 'off', parse: oneOf(['off', 'on', 'required'] as const),
    help: 'STARTTLS (RFC 3207): off (not offered: clients fall back to plain), on (offered), required (MAIL, RCPT, DATA, VRFY and AUTH get 530 5.7.0 until STARTTLS). Without --tls-cert/--tls-key a self-signed certificate for --hostname is made at start.',
  }),
  tlsCert: flag({
    name: 'tls-cert', env: 'SINKHOLE_TLS_CERT', value: 'PATH', group: 'protocol', defaultText: '(self-signed)', parse: pathValue,
    help: 'PEM certificate (chain) for STARTTLS; needs --tls-key.',
  }),
  tlsKey: flag({
    name: 'tls-key', env: 'SINKHOLE_TLS_KEY', value: 'PATH', group: 'protocol', defaultText: '(self-signed)', parse: pathValue,
    help: 'PEM private key for STARTTLS; needs --tls-cert.',
  }),
  tlsHandshakeTimeout: flag({
    name: 'tls-handshake-timeout', env: 'SINKHOLE_TLS_HANDSHAKE_TIMEOUT', value: 'DURATION', group: 'protocol',
    defaultText: formatDuration(DEFAULT_LIMITS.tlsHandshakeTimeoutMs), parse: inRange(parseDuration, 1, Number.MAX_SAFE_INTEGER, ' ms'),
    help: 'Longest TLS handshake after STARTTLS before the connection is dropped.',
  }),
  maxTlsHandshakes: flag({
    name: 'max-tls-handshakes', env: 'SINKHOLE_MAX_TLS_HANDSHAKES', value: 'N', group: 'protocol',
    defaultText: String(DEFAULT_LIMITS.maxTlsHandshakes), parse: inRange(parseCount, 1, Number.MAX_SAFE_INTEGER),
    help: 'TLS handshakes in progress at once; past it STARTTLS gets 454 4.7.0.',
  }),
  auth: flag({
    name: 'auth', env: 'SINKHOLE_AUTH', value: 'off|any', group: 'protocol', defaultText: 'off', parse: oneOf(['off', 'any'] as const),
    help: 'AUTH (RFC 4954): off (not offered), any (AUTH PLAIN LOGIN offered, any credentials accepted; after STARTTLS when --tls required). Logs show only the mechanism and authorization id.',
  }),
} satisfies Record<string, FlagSpec<unknown>>;

function pathValue(text: string): { ok: true; value: string } | { ok: false; problem: string } {
  return text.length > 0 ? { ok: true, value: text } : { ok: false, problem: 'expected a file path' };
}
