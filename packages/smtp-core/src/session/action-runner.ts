import type { ProtocolClock } from '../clock.js';
import type { PolicyAction } from '../policy-action.js';
import type { Reply } from '../protocol/replies.js';
import type { OutputBuffer } from './output-buffer.js';
import type { After, HookCall, Step } from './session-machine.js';

/** What an action may do to its session. */
export interface ActionSession {
  /** Settles the pending hook with reply (undefined: the phase's default). */
  settle(call: HookCall, reply: Reply | undefined): Step;
  /** Sends a reply step's reply (already written when `sent`) and applies what comes after it. */
  send(reply: Reply, after: After, sent: boolean): void;
  /** Reads on. */
  pump(): void;
  /** Applies a step that is not a reply (LMTP's next hook after a delayed end-of-data decision). */
  run(step: Step): void;
  /** Ends the session: a FIN, or an RST when the transport can. */
  close(how: 'fin' | 'rst'): void;
}

/**
 * A policy action's delay, trickle, close or hang. While it holds (delay, hang) or trickles,
 * the session reads nothing; during a delay or a trickle its idle timeout waits, as for a
 * pending hook, while a hang lasts until the idle timeout (which the session lets through) or
 * until the peer goes. Time comes from the injected clock.
 */
export class ActionRunner {
  readonly #clock: ProtocolClock;
  readonly #output: OutputBuffer;
  readonly #session: ActionSession;
  #timer: unknown;
  #cancelled = false;
  #state: 'idle' | 'delaying' | 'hanging' = 'idle';

  constructor(clock: ProtocolClock, output: OutputBuffer, session: ActionSession) {
    this.#clock = clock;
    this.#output = output;
    this.#session = session;
  }

  /** True while an action delays or hangs: no command is read. */
  get holding(): boolean {
    return this.#state !== 'idle';
  }

  /** True while a delay or a trickle runs: the idle timeout waits for it. */
  get busy(): boolean {
    return this.#state === 'delaying' || this.#output.trickling;
  }

  /** Starts an action; replies already queued are written first. */
  begin(call: HookCall, action: PolicyAction): void {
    this.#output.flush();
    if (action.close === 'hang') {
      this.#state = 'hanging';
      return;
    }
    if (action.delayMs === 0) {
      this.#due(call, action);
      return;
    }
    this.#state = 'delaying';
    this.#timer = this.#clock.set(() => {
      this.#timer = undefined;
      this.#state = 'idle';
      this.#due(call, action);
    }, action.delayMs);
  }

  /** The session ended or is gone: nothing more is due, no trickled byte follows. */
  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clear(this.#timer);
    this.#timer = undefined;
    this.#state = 'idle';
    this.#cancelled = true;
    this.#output.cancel();
  }

  #due(call: HookCall, action: PolicyAction): void {
    const session = this.#session;
    if (this.#cancelled) return;
    const step = action.reply === null ? undefined : session.settle(call, action.reply);
    const trickled = step?.kind === 'reply' && action.trickleMs > 0;
    const done = (): void => {
      if (step?.kind === 'reply') session.send(step.reply, action.close === undefined ? step.after : 'continue', trickled);
      else if (step !== undefined) session.run(step);
      if (action.close === undefined) session.pump();
      else if (action.close !== 'hang') session.close(action.close);
    };
    if (trickled && step.kind === 'reply') this.#output.trickle(step.reply, action.trickleMs, done);
    else done();
  }
}
