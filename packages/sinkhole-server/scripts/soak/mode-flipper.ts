import { rename, writeFile } from 'node:fs/promises';

export const FLIP_MODES = ['accept', 'defer', 'bounce', 'accept-log'] as const;

/** Rewrites the mode file atomically (write a sibling, rename) with the next mode every `everyMs`. */
export class ModeFlipper {
  readonly #path: string;
  readonly #timer: NodeJS.Timeout;
  #index = 0;
  flips = 0;

  constructor(path: string, everyMs: number) {
    this.#path = path;
    this.#timer = setInterval(() => {
      this.#flip().catch((error: unknown) => console.error(`soak: could not flip the mode file: ${String(error)}`));
    }, everyMs);
  }

  get mode(): string {
    return FLIP_MODES[this.#index % FLIP_MODES.length] as string;
  }

  static async init(path: string): Promise<void> {
    await writeFile(path, `${FLIP_MODES[0]}\n`);
  }

  async #flip(): Promise<void> {
    this.#index++;
    const tmp = `${this.#path}.tmp`;
    await writeFile(tmp, `${this.mode}\n`);
    await rename(tmp, this.#path);
    this.flips++;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
