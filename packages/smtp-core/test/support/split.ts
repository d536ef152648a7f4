/** Splits a buffer at the given cut lengths (cycled) into non-empty chunks; no cuts: one chunk. */
export function split(stream: Buffer, cuts: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let pos = 0;
  let i = 0;
  while (pos < stream.length) {
    const size = Math.max(1, cuts.length === 0 ? stream.length : (cuts[i++ % cuts.length] ?? 1));
    chunks.push(stream.subarray(pos, pos + size));
    pos += size;
  }
  return chunks;
}
