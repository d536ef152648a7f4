import { nodeCrypto } from './lazy-builtins.js';
import { isIP } from 'node:net';
import { bitString, boolean, contextTag, octetString, oid, sequence, set, smallInteger, time, unsignedInteger, utf8String } from './der.js';

export interface SelfSignedCertificate {
  /** PEM `PRIVATE KEY` (PKCS #8, ECDSA P-256). */
  readonly key: string;
  /** PEM `CERTIFICATE`. */
  readonly cert: string;
}

export interface SelfSignedOptions {
  /** Days the certificate is valid from now; default 365. */
  readonly days?: number;
  readonly now?: Date;
}

const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID_COMMON_NAME = '2.5.4.3';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** X.520 ub-common-name: a longer host name is in the subjectAltName only. */
const MAX_COMMON_NAME = 64;
/** Clients with a clock a little behind still accept it. */
const BACKDATE_MS = 60 * 60 * 1000;

/**
 * A self-signed X.509 v3 certificate (RFC 5280) for `hostname`, made with node:crypto alone:
 * an ECDSA P-256 key, the host name as CN and as subjectAltName (dNSName, or iPAddress for an
 * address literal), `CA:FALSE` and serverAuth. For STARTTLS when no certificate is configured:
 * clients that verify will refuse it, as they would refuse any unknown issuer.
 */
export function selfSignedCertificate(hostname: string, options: SelfSignedOptions = {}): SelfSignedCertificate {
  const { generateKeyPairSync, randomBytes, sign } = nodeCrypto();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = options.now ?? new Date();
  const days = options.days ?? 365;
  const algorithm = sequence(oid(OID_ECDSA_WITH_SHA256));
  const name = sequence(set(sequence(oid(OID_COMMON_NAME), utf8String(hostname.slice(0, MAX_COMMON_NAME)))));
  // A positive 16-byte serial (RFC 5280 §4.1.2.2: at most 20 octets).
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  const extensions = sequence(
    extension(OID_BASIC_CONSTRAINTS, true, sequence()),
    extension(OID_EXT_KEY_USAGE, false, sequence(oid(OID_SERVER_AUTH))),
    extension(OID_SUBJECT_ALT_NAME, false, sequence(altName(hostname))),
  );
  const tbs = sequence(
    contextTag(0, smallInteger(2), true), // v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(new Date(now.getTime() - BACKDATE_MS)), time(new Date(now.getTime() + days * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    contextTag(3, extensions, true),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: pem('CERTIFICATE', der),
  };
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** GeneralName: `[7] iPAddress` for an IPv4/IPv6 literal, else `[2] dNSName`. */
function altName(hostname: string): Buffer {
  const literal = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1).replace(/^IPv6:/i, '') : hostname;
  const family = isIP(literal);
  if (family === 4) return contextTag(7, Buffer.from(literal.split('.').map(Number)), false);
  if (family === 6) return contextTag(7, ipv6Bytes(literal), false);
  return contextTag(2, Buffer.from(hostname, 'ascii'), false);
}

function ipv6Bytes(text: string): Buffer {
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes its two 16-bit groups.
  const address = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined): string[] => (part === undefined || part === '' ? [] : part.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const bytes = Buffer.alloc(16);
  for (const [i, g] of all.entries()) bytes.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return bytes;
}

function pem(label: string, der: Buffer): string {
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}
