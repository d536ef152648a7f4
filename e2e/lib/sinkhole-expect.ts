// Assertions on the sinkhole's own JSON log, shared by the client and MTA tests.
import { expect } from 'vitest';
import type { Sinkhole } from './sinkhole.js';
import { modeOf, recipientsOf, replyCodesOf, type SinkholeEvent } from './sinkhole-log.js';

const LOG_WAIT_MS = 5_000;

/** The sinkhole logged `count` connections so far, the last one in `mode` with `code` among its replies, and accepted nothing. */
export async function expectRefused(s: Sinkhole, o: { mode: string; code: number; connections?: number }): Promise<SinkholeEvent> {
  const connections = await s.waitForConnections(o.connections ?? 1, LOG_WAIT_MS);
  const last = connections.at(-1);
  expect(last, s.transcript()).toBeDefined();
  const conn = last as SinkholeEvent;
  expect(modeOf(conn), s.transcript()).toBe(o.mode);
  expect(replyCodesOf(conn), s.transcript()).toContain(o.code);
  expect(s.accepted(), s.transcript()).toEqual([]);
  return conn;
}

/** The sinkhole logged exactly one accepted message, for `recipient`, once `connections` connections had closed. */
export async function expectAcceptedOnce(s: Sinkhole, recipient: string, connections = 1): Promise<SinkholeEvent> {
  const event = await s.waitForEvent((e) => e.msg === 'accepted', LOG_WAIT_MS, 'an accepted line');
  expect(recipientsOf(event), s.transcript()).toEqual([recipient]);
  // Count only after the connection closed, so that a duplicate would have shown up.
  await s.waitForConnections(connections, LOG_WAIT_MS);
  expect(s.accepted(), s.transcript()).toHaveLength(1);
  return event;
}
