/**
 * How many replies of each code a session has sent, in order of first use: a read-only map.
 *
 * A session sends a handful of codes (220, 250, 354, 221; a 4xx or 5xx now and then), so the
 * first four live in fields and any more in a Map made when the fifth arrives. A Map per
 * session was about 180 bytes (the Map and its hash table) and a hash lookup and store per
 * reply; this is about 100 bytes and a few comparisons.
 */
export class ReplyCounts implements ReadonlyMap<number, number> {
  // 0 is never a reply code: a free slot.
  #code0 = 0;
  #count0 = 0;
  #code1 = 0;
  #count1 = 0;
  #code2 = 0;
  #count2 = 0;
  #code3 = 0;
  #count3 = 0;
  #more: Map<number, number> | undefined;

  /** One more reply with this code. Slots fill in order, so the first free one means a new code. */
  add(code: number): void {
    if (this.#code0 === code || this.#code0 === 0) {
      this.#code0 = code;
      this.#count0++;
    } else if (this.#code1 === code || this.#code1 === 0) {
      this.#code1 = code;
      this.#count1++;
    } else if (this.#code2 === code || this.#code2 === 0) {
      this.#code2 = code;
      this.#count2++;
    } else if (this.#code3 === code || this.#code3 === 0) {
      this.#code3 = code;
      this.#count3++;
    } else {
      const more = (this.#more ??= new Map());
      more.set(code, (more.get(code) ?? 0) + 1);
    }
  }

  get size(): number {
    return (this.#code0 === 0 ? 0 : 1) + (this.#code1 === 0 ? 0 : 1) + (this.#code2 === 0 ? 0 : 1) + (this.#code3 === 0 ? 0 : 1) + (this.#more?.size ?? 0);
  }

  get(code: number): number | undefined {
    if (code === 0) return undefined;
    if (this.#code0 === code) return this.#count0;
    if (this.#code1 === code) return this.#count1;
    if (this.#code2 === code) return this.#count2;
    if (this.#code3 === code) return this.#count3;
    return this.#more?.get(code);
  }

  has(code: number): boolean {
    return this.get(code) !== undefined;
  }

  *entries(): MapIterator<[number, number]> {
    if (this.#code0 !== 0) yield [this.#code0, this.#count0];
    if (this.#code1 !== 0) yield [this.#code1, this.#count1];
    if (this.#code2 !== 0) yield [this.#code2, this.#count2];
    if (this.#code3 !== 0) yield [this.#code3, this.#count3];
    if (this.#more !== undefined) yield* this.#more.entries();
  }

  *keys(): MapIterator<number> {
    for (const [code] of this.entries()) yield code;
  }

  *values(): MapIterator<number> {
    for (const [, count] of this.entries()) yield count;
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.entries();
  }

  forEach(callback: (count: number, code: number, map: ReadonlyMap<number, number>) => void, thisArg?: unknown): void {
    for (const [code, count] of this.entries()) callback.call(thisArg, count, code, this);
  }

  get [Symbol.toStringTag](): string {
    return 'ReplyCounts';
  }
}
