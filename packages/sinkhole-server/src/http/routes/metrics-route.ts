import { TEXT_FORMAT_CONTENT_TYPE } from '../../metrics/text-format.js';
import type { HttpContext } from '../http-context.js';
import type { Route } from '../router.js';

/** GET /metrics: Prometheus text format 0.0.4. */
export function metricsRoute(context: HttpContext): Route {
  return {
    GET: { mutating: false, query: [], handle: () => ({ status: 200, text: context.registry.render(), contentType: TEXT_FORMAT_CONTENT_TYPE }) },
  };
}
