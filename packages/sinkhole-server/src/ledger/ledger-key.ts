/** What the attempt ledger counts by. */
export type LedgerKeyKind = 'recipient' | 'triplet' | 'message-id' | 'client';

export const LEDGER_KEY_KINDS: readonly LedgerKeyKind[] = ['recipient', 'triplet', 'message-id', 'client'];

/**
 * A ledger key as readers see it: the kind, then the lowercased parts, e.g.
 * `recipient:qp-7+421x2.250@sinkhole.test` or `triplet:192.0.2.1/a@x.test/b@y.test`.
 * Addresses compare case-insensitively, as greylisters and scripts do.
 */
export function ledgerKey(kind: 'recipient', rcptTo: string): string;
export function ledgerKey(kind: 'client', ip: string): string;
export function ledgerKey(kind: 'message-id', messageId: string): string;
export function ledgerKey(kind: 'triplet', ip: string, mailFrom: string, rcptTo: string): string;
export function ledgerKey(kind: LedgerKeyKind, first: string, ...rest: string[]): string {
  const text = rest.length === 0 ? first : `${first}/${rest.join('/')}`;
  // A Message-ID is case-sensitive on its left side (RFC 5322 §3.6.4); keep it as sent.
  return `${kind}:${kind === 'message-id' ? text : text.toLowerCase()}`;
}
