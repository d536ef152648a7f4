// Polls `read` until `done` holds for its value, or fails after `timeoutMs` showing the last value.
export async function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value:\n${String(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
