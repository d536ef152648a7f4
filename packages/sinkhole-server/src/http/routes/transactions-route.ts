import { matches, type TransactionFilter } from '../../transactions/accepted-transaction.js';
import { HttpError } from '../http-error.js';
import type { HttpContext } from '../http-context.js';
import type { Route } from '../router.js';
import { durationParam, textParam } from './query.js';

const PARAMS = ['rcpt', 'since', 'wait', 'limit'] as const;
/** Most transactions in one answer. */
export const MAX_TRANSACTIONS_PER_ANSWER = 1000;

/** `since` is a cursor (the `next` of an earlier answer) or an ISO 8601 time. */
function sinceFilter(query: URLSearchParams): Pick<TransactionFilter, 'afterSeq' | 'sinceTime'> {
  const since = textParam(query, 'since');
  if (since === undefined) return {};
  if (/^\d{1,15}$/.test(since)) return { afterSeq: Number(since) };
  const time = Date.parse(since);
  if (Number.isNaN(time)) throw new HttpError('bad_request', 'query parameter "since" must be a cursor (the "next" of an earlier answer) or an ISO 8601 time');
  return { sinceTime: time };
}

function limitParam(query: URLSearchParams): number {
  const text = textParam(query, 'limit');
  if (text === undefined) return MAX_TRANSACTIONS_PER_ANSWER;
  const limit = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_TRANSACTIONS_PER_ANSWER)) {
    throw new HttpError('bad_request', `query parameter "limit" must be a whole number from 1 to ${MAX_TRANSACTIONS_PER_ANSWER}`);
  }
  return limit;
}

/**
 * GET /transactions (?rcpt=, ?since=, ?wait=, ?limit=): the last accepted transactions, oldest
 * first. With wait, an answer that would be empty waits (at most --http-max-wait) and
 * returns as soon as a matching transaction is accepted.
 */
export function transactionsRoute(context: HttpContext, maxWaitMs: number): Route {
  return {
    GET: {
      mutating: false,
      query: PARAMS,
      handle: async (request) => {
        const filter: TransactionFilter = { rcpt: textParam(request.query, 'rcpt'), ...sinceFilter(request.query) };
        const waitMs = durationParam(request.query, 'wait', maxWaitMs) ?? 0;
        const limit = limitParam(request.query);
        const ring = context.transactions;
        const test = (t: Parameters<typeof matches>[0]): boolean => matches(t, filter);
        let found = ring.list(test, limit);
        if (found.length === 0 && waitMs > 0) {
          await ring.waitFor(test, waitMs, request.signal);
          found = ring.list(test, limit);
        }
        const last = found.at(-1);
        return { status: 200, json: { transactions: found, next: last === undefined ? (filter.afterSeq ?? ring.lastSeq) : last.seq } };
      },
    },
  };
}
