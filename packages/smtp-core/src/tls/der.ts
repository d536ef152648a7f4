// A minimal DER encoder (ITU-T X.690 §8, §10): just the types an X.509 certificate needs.

const TAG_INTEGER = 0x02;
const TAG_BIT_STRING = 0x03;
const TAG_OCTET_STRING = 0x04;
const TAG_OID = 0x06;
const TAG_UTF8_STRING = 0x0c;
const TAG_UTC_TIME = 0x17;
const TAG_GENERALIZED_TIME = 0x18;
const TAG_SEQUENCE = 0x30;
const TAG_SET = 0x31;
const TAG_BOOLEAN = 0x01;

/** Tag, definite length (short form below 128, else long form), contents. */
export function tlv(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  let header: Buffer;
  if (n < 0x80) {
    header = Buffer.from([tag, n]);
  } else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, contents]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(TAG_SEQUENCE, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(TAG_SET, Buffer.concat(items));
export const octetString = (bytes: Buffer): Buffer => tlv(TAG_OCTET_STRING, bytes);
export const utf8String = (text: string): Buffer => tlv(TAG_UTF8_STRING, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => tlv(TAG_BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
/** A BIT STRING of whole octets (no unused bits). */
export const bitString = (bytes: Buffer): Buffer => tlv(TAG_BIT_STRING, Buffer.concat([Buffer.from([0]), bytes]));
/** `[n]` context-specific: constructed (EXPLICIT wrapping) or primitive (IMPLICIT contents). */
export const contextTag = (n: number, contents: Buffer, constructed: boolean): Buffer => tlv((constructed ? 0xa0 : 0x80) | n, contents);

/** A non-negative INTEGER from big-endian magnitude bytes (minimal, with a 0x00 when the top bit is set). */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const bytes = magnitude.subarray(start);
  const padded = ((bytes[0] ?? 0) & 0x80) !== 0 || bytes.length === 0 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(TAG_INTEGER, padded);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

/** An OBJECT IDENTIFIER from dotted text: the first two arcs as 40·a+b, every arc base 128. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [40 * a + b, ...rest]) {
    const group: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    bytes.push(...group);
  }
  return tlv(TAG_OID, Buffer.from(bytes));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, always in UTC to the second. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-12-02T04:00:00.000Z
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return date.getUTCFullYear() < 2050
    ? tlv(TAG_UTC_TIME, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(TAG_GENERALIZED_TIME, Buffer.from(digits, 'ascii'));
}
