/** Records kept for a subscriber that does not read; past it the oldest are dropped. */
export const MAX_QUEUED_RECORDS = 10_000;

/**
 * One subscriber's view of the log as an async iterator: records pushed after it was
 * created, in order, until end(). A subscriber that falls behind by more than
 * MAX_QUEUED_RECORDS loses the oldest ones (counted in `dropped`) rather than
 * growing the process without bound.
 */
export class RecordQueue<T> implements AsyncIterableIterator<T> {
  readonly #onReturn: (queue: RecordQueue<T>) => void;
  #items: T[] = [];
  #head = 0;
  #waiting: ((result: IteratorResult<T>) => void) | undefined;
  #ended = false;
  dropped = 0;

  constructor(onReturn: (queue: RecordQueue<T>) => void) {
    this.#onReturn = onReturn;
  }

  push(item: T): void {
    if (this.#ended) return;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    if (this.#items.length - this.#head > MAX_QUEUED_RECORDS) {
      this.#head++;
      this.dropped++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head] as T;
      this.#head++;
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#items = [];
    this.#head = 0;
    this.end();
    this.#onReturn(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
