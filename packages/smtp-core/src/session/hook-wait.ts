import type { ProtocolSettings } from './protocol-settings.js';
import type { HookName } from './session-machine.js';

/** What a session can wait for: the policy factory, a hook, or the body hook's promises. */
export type WaitSubject = HookName | 'factory' | 'data-chunk';

/** Told how a wait ended; only the current wait of a live session is ever reported. */
export interface WaitOwner {
  /** The promise fulfilled with `value`. */
  waitSettled(subject: WaitSubject, value: unknown): void;
  /** The promise rejected with `error`. */
  waitRejected(subject: WaitSubject, error: unknown): void;
  /** hookTimeoutMs passed first. */
  waitTimedOut(subject: WaitSubject): void;
}

/**
 * The session's one wait at a time: a token that tells the current wait from a late or
 * abandoned one, and a timer on the injected clock that bounds it by hookTimeoutMs. A wait
 * ends on the first of: the promise settles, the timer fires, the owner ends it.
 */
export class HookWait {
  readonly #owner: WaitOwner;
  readonly #settings: ProtocolSettings;
  #subject: WaitSubject | undefined;
  #token = 0;
  #timer: unknown;
  #abandoned = false;

  constructor(owner: WaitOwner, settings: ProtocolSettings) {
    this.#owner = owner;
    this.#settings = settings;
  }

  /** What the session waits for now, if anything. */
  get subject(): WaitSubject | undefined {
    return this.#subject;
  }

  /** Starts a wait the owner ends itself (with {@link endCurrent}) or that times out. */
  begin(subject: WaitSubject): number {
    this.#subject = subject;
    const token = ++this.#token;
    this.#timer = this.#settings.clock.set(() => {
      if (this.end(token)) this.#owner.waitTimedOut(subject);
    }, this.#settings.limits.hookTimeoutMs);
    return token;
  }

  /** Waits for `promise`: the first of fulfilment, rejection and timeout is reported. */
  race(subject: WaitSubject, promise: PromiseLike<unknown>): void {
    const token = this.begin(subject);
    promise.then(
      (value) => {
        if (this.end(token)) this.#owner.waitSettled(subject, value);
      },
      (error: unknown) => {
        if (this.end(token)) this.#owner.waitRejected(subject, error);
      },
    );
  }

  /** Ends wait `token` if it is still the current one; false for a late or abandoned one. */
  end(token: number): boolean {
    if (token !== this.#token || this.#abandoned) return false;
    this.#token++;
    this.#settings.clock.clear(this.#timer);
    this.#timer = undefined;
    this.#subject = undefined;
    return true;
  }

  /** Ends the current wait, if `subject` is what it waits for. */
  endCurrent(subject: WaitSubject): boolean {
    return this.#subject === subject && this.end(this.#token);
  }

  /** The session is gone: no wait of it may end (or be reported) any more. */
  abandon(): void {
    this.#abandoned = true;
    this.#token++;
    if (this.#timer !== undefined) this.#settings.clock.clear(this.#timer);
    this.#timer = undefined;
  }
}
