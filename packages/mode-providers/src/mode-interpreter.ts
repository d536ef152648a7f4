/** Why a source's text is not a mode. A value, never thrown; safe to log. */
export interface ModeParseFailure {
  readonly code: string;
  readonly message: string;
}

export type ModeReading<M> = { readonly ok: true; readonly mode: M } | { readonly ok: false; readonly error: ModeParseFailure };

/**
 * What a mode text means. The providers only fetch text; the grammar lives with whoever
 * acts on it (the sinkhole's is in @sinkhole/sinkhole-server, src/mode/).
 */
export interface ModeInterpreter<M> {
  /** Reads a text as fetched (white space and all); never throws. */
  parse(text: string): ModeReading<M>;
  /** The canonical text of a mode: two modes with the same text are the same mode. */
  format(mode: M): string;
  /** Served when no good mode was ever read; must never accept mail. */
  readonly fallback: M;
}
