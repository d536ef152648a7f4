/**
 * How many replies of each code a session sent, in the order the codes first appeared. A live,
 * read-only map kept in two short arrays (a session sends a handful of distinct codes): counting
 * a reply is a scan of a few numbers instead of two hash lookups, and a session holds no Map.
 */
export class ReplyCounts implements ReadonlyMap<number, number> {
  readonly #codes: number[] = [];
  readonly #counts: number[] = [];

  count(code: number): void {
    const i = this.#codes.indexOf(code);
    if (i === -1) {
      this.#codes.push(code);
      this.#counts.push(1);
    } else {
      this.#counts[i] = (this.#counts[i] as number) + 1;
    }
  }

  get size(): number {
    return this.#codes.length;
  }

  has(code: number): boolean {
    return this.#codes.includes(code);
  }

  get(code: number): number | undefined {
    const i = this.#codes.indexOf(code);
    return i === -1 ? undefined : this.#counts[i];
  }

  forEach(callback: (count: number, code: number, map: ReadonlyMap<number, number>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.#codes.length; i++) callback.call(thisArg, this.#counts[i] as number, this.#codes[i] as number, this);
  }

  // Iteration (read when a session is logged, not per reply) goes through a copy as a Map.
  entries(): MapIterator<[number, number]> {
    return this.#snapshot().entries();
  }

  keys(): MapIterator<number> {
    return this.#snapshot().keys();
  }

  values(): MapIterator<number> {
    return this.#snapshot().values();
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }

  #snapshot(): Map<number, number> {
    return new Map(this.#codes.map((code, i) => [code, this.#counts[i] as number]));
  }
}
