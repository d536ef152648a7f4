/**
 * Where a session is in its life, as one value, so that no impossible mix (ended but still
 * shutting down, destroyed but open) can be stored:
 *
 * - `open`: reading and answering commands and DATA;
 * - `input-ended`: the peer half-closed; what it sent is answered, then the session ends;
 * - `stopping`: the server is shutting down; the command or message in flight finishes,
 *   gets its reply, then 421;
 * - `stopping-input-ended`: both of the above;
 * - `ended`: the session half-closed the transport; input that follows is dropped;
 * - `destroyed`: the connection is gone; pending hooks are abandoned.
 */
export type SessionPhase = 'open' | 'input-ended' | 'stopping' | 'stopping-input-ended' | 'ended' | 'destroyed';

/** True once the session has half-closed (or lost) its transport. */
export function isEnded(phase: SessionPhase): boolean {
  return phase === 'ended' || phase === 'destroyed';
}

export function isInputEnded(phase: SessionPhase): boolean {
  return phase === 'input-ended' || phase === 'stopping-input-ended';
}

export function isStopping(phase: SessionPhase): boolean {
  return phase === 'stopping' || phase === 'stopping-input-ended';
}

/** The phase after the peer half-closed. */
export function afterInputEnd(phase: SessionPhase): SessionPhase {
  if (phase === 'open') return 'input-ended';
  if (phase === 'stopping') return 'stopping-input-ended';
  return phase;
}

/** The phase after the server asked the session to stop. */
export function afterStopRequest(phase: SessionPhase): SessionPhase {
  if (phase === 'open') return 'stopping';
  if (phase === 'input-ended') return 'stopping-input-ended';
  return phase;
}
