/** ESMTP extensions the engine implements; each can be hidden (then it is neither advertised nor honoured). */
export interface Extensions {
  /** RFC 2920: clients may send commands without waiting for each reply. */
  readonly pipelining: boolean;
  /** RFC 2034 / RFC 3463: `x.y.z` codes on every 2xx/4xx/5xx reply after the greeting. */
  readonly enhancedStatusCodes: boolean;
  /** RFC 1870: `SIZE` advertised with the message size limit, `SIZE=` checked at MAIL. */
  readonly size: boolean;
  /** RFC 6152: `BODY=8BITMIME` accepted at MAIL. */
  readonly eightBitMime: boolean;
  /** RFC 6531: UTF-8 addresses with `SMTPUTF8` at MAIL. */
  readonly smtpUtf8: boolean;
  /** RFC 3461: `RET`/`ENVID` at MAIL and `NOTIFY`/`ORCPT` at RCPT, checked and recorded in the envelope. */
  readonly dsn: boolean;
  /** RFC 3030: `BDAT n [LAST]` carries the body in counted chunks instead of DATA. */
  readonly chunking: boolean;
  /** RFC 3030 §3: `BODY=BINARYMIME` at MAIL (then the body must come by BDAT); advertised only with CHUNKING. */
  readonly binaryMime: boolean;
}

export const DEFAULT_EXTENSIONS: Extensions = Object.freeze({
  pipelining: true,
  enhancedStatusCodes: true,
  size: true,
  eightBitMime: true,
  smtpUtf8: true,
  dsn: true,
  chunking: true,
  binaryMime: true,
});

/** Each extension by its EHLO keyword (RFC 5321 §4.1.1.1), in the order they are advertised. */
export const EXTENSION_KEYWORDS: Readonly<Record<string, keyof Extensions>> = Object.freeze({
  PIPELINING: 'pipelining',
  SIZE: 'size',
  '8BITMIME': 'eightBitMime',
  ENHANCEDSTATUSCODES: 'enhancedStatusCodes',
  SMTPUTF8: 'smtpUtf8',
  DSN: 'dsn',
  CHUNKING: 'chunking',
  BINARYMIME: 'binaryMime',
});

/** Every extension hidden: the plain RFC 5321 service (EHLO answers with the host name only). */
export const NO_EXTENSIONS: Extensions = Object.freeze({
  pipelining: false,
  enhancedStatusCodes: false,
  size: false,
  eightBitMime: false,
  smtpUtf8: false,
  dsn: false,
  chunking: false,
  binaryMime: false,
});

/** The EHLO keyword lines, in the order they are advertised. */
export function ehloKeywords(ext: Extensions, maxMessageSize: number): string[] {
  const lines: string[] = [];
  if (ext.pipelining) lines.push('PIPELINING');
  // RFC 1870 §4: "SIZE 0" would mean no fixed limit; we always have one.
  if (ext.size) lines.push(`SIZE ${Number.isFinite(maxMessageSize) ? maxMessageSize : 0}`);
  if (ext.eightBitMime) lines.push('8BITMIME');
  if (ext.enhancedStatusCodes) lines.push('ENHANCEDSTATUSCODES');
  if (ext.smtpUtf8) lines.push('SMTPUTF8');
  if (ext.dsn) lines.push('DSN');
  if (ext.chunking) lines.push('CHUNKING');
  if (ext.chunking && ext.binaryMime) lines.push('BINARYMIME');
  return lines;
}
