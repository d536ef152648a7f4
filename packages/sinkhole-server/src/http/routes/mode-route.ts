import { HttpError } from '../http-error.js';
import type { HttpContext } from '../http-context.js';
import type { Route } from '../router.js';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

function modeBody(context: HttpContext): unknown {
  const status = context.modes.status();
  return {
    mode: context.modes.describe(status.mode),
    kind: status.mode.kind,
    source: status.source,
    loadedAt: iso(status.loadedAt),
    lastError: status.lastError === undefined ? null : { code: status.lastError.code, message: status.lastError.message, at: iso(status.lastError.at) },
    failures: status.failures,
  };
}

/**
 * GET /mode: the mode the next connection gets, its source, when it was read, the last error.
 * PUT /mode: the body (the mode text, as any source holds it) becomes the mode, with
 * --mode-source api only: every other source stays the source of truth (409).
 */
export function modeRoute(context: HttpContext): Route {
  return {
    GET: { mutating: false, query: [], handle: () => ({ status: 200, json: modeBody(context) }) },
    PUT: {
      mutating: true,
      query: [],
      handle: async (request) => {
        if (!context.modes.settable) {
          throw new HttpError(
            'conflict',
            `the mode comes from ${context.modes.status().source}, which stays the source of truth; PUT /mode needs --mode-source api`,
          );
        }
        const text = await request.body();
        try {
          await context.modes.put(text);
        } catch (error) {
          if (error instanceof RangeError) throw new HttpError('bad_request', error.message);
          throw error;
        }
        return { status: 200, json: modeBody(context) };
      },
    },
  };
}
