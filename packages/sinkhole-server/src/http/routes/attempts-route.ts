import { HttpError } from '../http-error.js';
import type { AttemptLedgerView, HttpContext, LedgerEntryView } from '../http-context.js';
import type { Route } from '../router.js';
import { textParam } from './query.js';

/** Entries about one recipient: its own key, and triplets that end in it. */
function aboutRecipient(entry: LedgerEntryView, rcpt: string): boolean {
  const wanted = rcpt.toLowerCase();
  return entry.key === `recipient:${wanted}` || (entry.key.startsWith('triplet:') && entry.key.endsWith(`/${wanted}`));
}

function select(ledger: AttemptLedgerView, query: URLSearchParams): readonly LedgerEntryView[] {
  const key = textParam(query, 'key');
  const rcpt = textParam(query, 'rcpt');
  if (key !== undefined) {
    const entry = ledger.get(key);
    return entry === undefined || (rcpt !== undefined && !aboutRecipient(entry, rcpt)) ? [] : [entry];
  }
  const all = ledger.entries();
  return rcpt === undefined ? all : all.filter((entry) => aboutRecipient(entry, rcpt));
}

/** GET /attempts (?key=, ?rcpt=): the attempt ledger. DELETE /attempts: forget every attempt and the greylist table. */
export function attemptsRoute(context: HttpContext): Route {
  const ledger = (): AttemptLedgerView => {
    if (context.ledger === undefined) throw new HttpError('not_found', 'this sinkhole keeps no attempt ledger');
    return context.ledger;
  };
  return {
    GET: {
      mutating: false,
      query: ['key', 'rcpt'],
      handle: (request) => {
        const entries = select(ledger(), request.query);
        return { status: 200, json: { size: ledger().size, entries } };
      },
    },
    DELETE: {
      mutating: true,
      query: [],
      handle: () => {
        context.clearAttempts();
        return { status: 200, json: { cleared: true } };
      },
    },
  };
}
