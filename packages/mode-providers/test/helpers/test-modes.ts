import type { ModeInterpreter } from '../../src/index.js';

/**
 * A small grammar for this package's tests: the cache is generic over what a text means
 * (the sinkhole's own grammar lives in @sinkhole/sinkhole-server and is tested there).
 */
export type TestMode =
  | { readonly kind: 'defer' | 'bounce' | 'accept' | 'accept-log' | 'greylist' }
  | { readonly kind: 'reply'; readonly code: number; readonly enhanced: string; readonly text: string };

export const TEST_DEFAULT: TestMode = Object.freeze({ kind: 'defer' });

const WORD = /^(defer|bounce|accept|accept-log|greylist)$/i;
const REPLY = /^reply:(\d{3}) (\d\.\d{1,3}\.\d{1,3}) (.+)$/i;

export function formatTestMode(mode: TestMode): string {
  return mode.kind === 'reply' ? `reply:${mode.code} ${mode.enhanced} ${mode.text}` : mode.kind;
}

export const TEST_MODES: ModeInterpreter<TestMode> = {
  parse: (text) => {
    const input = text.trim();
    const word = WORD.exec(input);
    if (word !== null) return { ok: true, mode: { kind: (word[1] as string).toLowerCase() as 'defer' } };
    const reply = REPLY.exec(input);
    if (reply !== null) {
      return { ok: true, mode: { kind: 'reply', code: Number(reply[1]), enhanced: reply[2] as string, text: reply[3] as string } };
    }
    return { ok: false, error: { code: 'ERR_TEST_MODE_UNKNOWN', message: `unknown mode ${JSON.stringify(input.slice(0, 64))}` } };
  },
  format: formatTestMode,
  fallback: TEST_DEFAULT,
};
