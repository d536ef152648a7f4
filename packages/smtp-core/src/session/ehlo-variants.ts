import { reply, type Reply } from '../protocol/replies.js';

// Built once per base reply and variant: sessions of one server share them (and their encoding).
const VARIANTS = new WeakMap<Reply, Map<string, Reply>>();

/**
 * The EHLO reply with STARTTLS (RFC 3207) and `AUTH PLAIN LOGIN` (RFC 4954) added as this
 * session allows: STARTTLS until TLS is active, AUTH where it may be used.
 */
export function ehloWithSecurity(base: Reply, starttls: boolean, auth: boolean): Reply {
  if (!starttls && !auth) return base;
  const key = `${starttls ? 'T' : ''}${auth ? 'A' : ''}`;
  let variants = VARIANTS.get(base);
  if (variants === undefined) VARIANTS.set(base, (variants = new Map()));
  let variant = variants.get(key);
  if (variant === undefined) {
    const extra = [...(starttls ? ['STARTTLS'] : []), ...(auth ? ['AUTH PLAIN LOGIN'] : [])];
    variant = reply(base.code, base.enhanced ?? null, [...base.lines, ...extra]);
    variants.set(key, variant);
  }
  return variant;
}

/** The answer to HELO/EHLO: the policy may choose the greeting text; the extension list still follows it. */
export function heloAnswer(ehlo: Reply, helo: Reply, hostname: string, esmtp: boolean, decision: Reply | undefined): Reply {
  if (decision === undefined) return esmtp ? ehlo : helo;
  if (!esmtp) return decision;
  return reply(decision.code, null, [decision.lines[0] ?? hostname, ...ehlo.lines.slice(1)]);
}
