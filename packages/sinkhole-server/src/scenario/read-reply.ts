import { decisionProblem, reply, replyProblem, type EnhancedCode, type Reply } from '@sinkhole/smtp-core';
import { parseAddressScript } from './address-script.js';
import { DOCUMENT_LIMITS } from './document-limits.js';
import { DocumentError, describe, integerAt, isObject, objectAt, stringAt } from './document-error.js';
import type { Phase } from './scenario-types.js';

const HOOK_OF: Readonly<Record<Phase, Parameters<typeof decisionProblem>[0]>> = {
  connect: 'connect',
  helo: 'helo',
  starttls: 'starttls',
  auth: 'auth',
  mail: 'mail',
  rcpt: 'rcpt',
  data: 'data-start',
  'data-end': 'data-end',
};

const REPLY_LINE = /^(\d{3})(?:[ \t]+(\d\.\d{1,3}\.\d{1,3}))?(?:[ \t]+(.*))?$/;
// RFC 5321 §4.2: textstring = 1*(%d09 / %d32-126).
const TEXT = /^[\t\x20-\x7e]*$/;

function checked(path: string, code: number, enhanced: string | undefined, lines: readonly string[]): Reply {
  for (const [i, line] of lines.entries()) {
    if (!TEXT.test(line)) throw new DocumentError(lines.length > 1 ? `${path}.text[${i}]` : path, 'reply text must be tab or printable ASCII');
  }
  // smtp-core's own checks: code range, RFC 3463 syntax, class, line length.
  const problem = replyProblem({ code, enhanced, lines });
  if (problem !== undefined) throw new DocumentError(path, problem);
  return reply(code, (enhanced as EnhancedCode | undefined) ?? null, lines);
}

/**
 * A reply as a document writes it: a script word or bare code (`"bounce"`, `"452"`: the
 * stock reply), `"CODE X.Y.Z text"`, or `{ "code", "enhanced"?, "text": string | lines }`.
 */
export function readReply(path: string, value: unknown, phases: ReadonlySet<Phase>): Reply {
  let result: Reply;
  if (typeof value === 'string') {
    const stock = parseAddressScript(value);
    if (stock !== undefined && stock.length === 1 && stock[0]?.limit.kind === 'once') {
      result = stock[0].reply;
    } else {
      const m = REPLY_LINE.exec(stringAt(path, value, 512));
      if (m === null) throw new DocumentError(path, `expected accept, defer, bounce, grey, a stock code or "CODE X.Y.Z text", got ${describe(value)}`);
      const text = m[3] === undefined || m[3] === '' ? 'OK' : m[3];
      result = checked(path, Number(m[1]), m[2], [text]);
    }
  } else if (isObject(value)) {
    const o = objectAt(path, value, ['code', 'enhanced', 'text']);
    const code = integerAt(`${path}.code`, o['code'], 200, 599);
    const enhanced = o['enhanced'] === undefined ? undefined : stringAt(`${path}.enhanced`, o['enhanced'], 11);
    const text = o['text'] ?? 'OK';
    let lines: string[];
    if (typeof text === 'string') lines = [text];
    else if (Array.isArray(text) && text.length > 0 && text.length <= DOCUMENT_LIMITS.maxReplyLines) {
      lines = text.map((line, i) => stringAt(`${path}.text[${i}]`, line, 505));
    } else {
      throw new DocumentError(`${path}.text`, `expected a string or 1 to ${DOCUMENT_LIMITS.maxReplyLines} lines`);
    }
    result = checked(path, code, enhanced, lines);
  } else {
    throw new DocumentError(path, `expected a reply (a string or { code, enhanced, text }), got ${describe(value)}`);
  }
  for (const phase of phases) {
    const problem = decisionProblem(HOOK_OF[phase], result);
    if (problem !== undefined) throw new DocumentError(path, `${problem} (phase ${phase})`);
  }
  return result;
}
