import { HttpError } from '../http-error.js';
import type { HttpContext } from '../http-context.js';
import type { Route } from '../router.js';

/** GET /healthz: 200 while the SMTP listener accepts and the mode source has answered; 503 with why. */
export function healthzRoute(context: HttpContext): Route {
  return {
    GET: {
      mutating: false,
      query: [],
      handle: () => {
        if (!context.accepting()) throw new HttpError('unavailable', 'the SMTP listener is shutting down');
        const status = context.modes.status();
        if (!status.answered) {
          const why = status.lastError === undefined ? 'no read has finished yet' : status.lastError.message;
          throw new HttpError('unavailable', `the mode source ${status.source} has not given a mode (${why}); connections get defer meanwhile`);
        }
        return { status: 200, json: { status: 'ok', mode: context.modes.describe(status.mode), source: status.source } };
      },
    },
  };
}
