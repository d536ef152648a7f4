import type { createHash as CreateHash, timingSafeEqual as TimingSafeEqual } from 'node:crypto';

type Crypto = { readonly createHash: typeof CreateHash; readonly timingSafeEqual: typeof TimingSafeEqual };

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed to SHA-256
 * first, so timingSafeEqual always compares 32 bytes and neither the length nor any prefix
 * of the expected token leaks through the time taken.
 */
export class BearerToken {
  readonly #digest: Buffer;
  readonly #crypto: Crypto;

  constructor(token: string, crypto: Crypto) {
    this.#crypto = crypto;
    this.#digest = crypto.createHash('sha256').update(token, 'utf8').digest();
  }

  /** 'missing' when there is no bearer credential, 'wrong' when it does not match. */
  check(authorization: string | undefined): 'ok' | 'missing' | 'wrong' {
    if (authorization === undefined) return 'missing';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match === null) return 'missing';
    const given = this.#crypto.createHash('sha256').update(match[1] as string, 'utf8').digest();
    return this.#crypto.timingSafeEqual(given, this.#digest) ? 'ok' : 'wrong';
  }
}
