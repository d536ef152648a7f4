// The sinkhole's stdout: one JSON object per line. The readers check the field names and types
// the sinkhole writes (packages/sinkhole-server/src/log/sinkhole-events.ts) exactly and throw,
// naming the field, on anything else: a renamed or retyped field fails the tier, never passes it.
import type { LogLine } from '@sinkhole/test-kit';

export type SinkholeEvent = LogLine;

function field(event: SinkholeEvent, name: string): unknown {
  if (!(name in event)) throw new Error(`sinkhole "${event.msg}" line has no "${name}" field: ${JSON.stringify(event)}`);
  return event[name];
}

/** The recipient addresses an event names (`rcptTo`: an array of strings), in order. */
export function recipientsOf(event: SinkholeEvent): string[] {
  const list = field(event, 'rcptTo');
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string')) {
    throw new Error(`sinkhole "${event.msg}" line: "rcptTo" is not an array of strings: ${JSON.stringify(list)}`);
  }
  return list;
}

/** The reply codes a connection event lists (`replies`: an array of integer codes), in order. */
export function replyCodesOf(event: SinkholeEvent): number[] {
  const list = field(event, 'replies');
  if (!Array.isArray(list) || !list.every((item): item is number => Number.isInteger(item))) {
    throw new Error(`sinkhole "${event.msg}" line: "replies" is not an array of reply codes: ${JSON.stringify(list)}`);
  }
  return list;
}

/** The mode a connection or accepted event was served in (`mode`: a string). */
export function modeOf(event: SinkholeEvent): string {
  const mode = field(event, 'mode');
  if (typeof mode !== 'string') throw new Error(`sinkhole "${event.msg}" line: "mode" is not a string: ${JSON.stringify(mode)}`);
  return mode;
}

export const isAccepted = (e: SinkholeEvent): boolean => e.msg === 'accepted';
export const isConnection = (e: SinkholeEvent): boolean => e.msg === 'connection';
