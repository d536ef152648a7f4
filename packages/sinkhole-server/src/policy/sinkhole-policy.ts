import type { Mode } from '../mode/mode.js';
import type { PolicyFactory } from '@sinkhole/smtp-core';
import type { ModeSelector } from '../mode/mode-selector.js';
import { ModePlans } from './mode-plan.js';
import { ScenarioSession } from './scenario-session.js';
import { SinkholeSession, type SessionContext } from './sinkhole-session.js';

/**
 * The sinkhole as one policy factory: each new connection gets the current mode, once.
 * While the mode is fresh in the cache this is synchronous, so the engine greets at once;
 * only a connection that finds the cache stale waits for the lookup (bounded by the cache).
 */
export function sinkholePolicy(modes: ModeSelector, context: SessionContext): PolicyFactory {
  const plans = new ModePlans();
  const open = (mode: Mode): SinkholeSession => {
    const plan = plans.get(mode);
    return plan.scenario === undefined ? new SinkholeSession(plan, context) : new ScenarioSession(plan, context);
  };
  return () => {
    const mode = modes.current();
    return mode instanceof Promise ? mode.then(open) : open(mode);
  };
}
