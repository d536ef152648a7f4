/** What the cache reports; feed it to a logger. Never thrown, never blocks. */
export type ModeProviderEvent<Mode> =
  /** A lookup gave a mode different from the last good one (from is undefined on the first). */
  | { readonly type: 'mode-changed'; readonly from: Mode | undefined; readonly to: Mode; readonly source: string }
  /** The first failure of a streak; later failures of the same streak are only counted. */
  | {
      readonly type: 'provider-error';
      readonly source: string;
      readonly code: string;
      readonly message: string;
      /** What the cache serves meanwhile: the last good mode, or defer. */
      readonly usingMode: Mode;
      readonly usingStale: boolean;
    }
  /** The first success after a streak of failures. */
  | { readonly type: 'provider-recovered'; readonly source: string; readonly failures: number; readonly mode: Mode };
