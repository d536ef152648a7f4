/**
 * The bytes all in-flight header captures of one server may hold together. Without it, clients
 * that send a full header block and then stall in DATA would make the server hold
 * maxConnections x maxHeaderBytes.
 */
export class HeaderBudget {
  #available: number;

  constructor(totalBytes: number) {
    this.#available = totalBytes;
  }

  get available(): number {
    return this.#available;
  }

  /** Takes up to `bytes` from the budget; returns how many were granted. */
  reserve(bytes: number): number {
    const granted = Math.min(bytes, this.#available);
    this.#available -= granted;
    return granted;
  }

  free(bytes: number): void {
    this.#available += bytes;
  }
}
