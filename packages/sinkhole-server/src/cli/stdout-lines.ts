import type { Writable } from 'node:stream';

/** Log lines to a stream (stdout), with a way to wait until they have reached the OS. */
export class StreamLines {
  readonly #stream: Writable;

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  readonly write = (line: string): void => {
    this.#stream.write(line);
  };

  /** Resolves once nothing written is still buffered in the process (stdout to a pipe is asynchronous). */
  flush(): Promise<void> {
    const stream = this.#stream;
    if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
      stream.on('close', done);
      stream.write('', done);
    });
  }
}
