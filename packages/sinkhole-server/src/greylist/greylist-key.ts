import { createHash } from 'node:crypto';

/**
 * The key of an IP + MAIL FROM + RCPT TO triplet. Addresses compare case-insensitively, as
 * greylisters do; the digest keeps every entry small whatever the address lengths.
 */
export function tripletKey(ip: string, mailFrom: string, rcptTo: string): string {
  return createHash('sha256').update(`${ip}\0${mailFrom.toLowerCase()}\0${rcptTo.toLowerCase()}`).digest('base64url').slice(0, 22);
}
