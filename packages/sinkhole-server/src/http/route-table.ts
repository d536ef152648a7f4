import type { HttpContext } from './http-context.js';
import type { HttpLimits } from './http-options.js';
import type { Route, RouteTable } from './router.js';
import { attemptsRoute } from './routes/attempts-route.js';
import { healthzRoute } from './routes/healthz-route.js';
import { metricsRoute } from './routes/metrics-route.js';
import { modeRoute } from './routes/mode-route.js';
import { transactionsRoute } from './routes/transactions-route.js';

/** Every route of the HTTP surface. */
export function routeTable(context: HttpContext, limits: HttpLimits): RouteTable {
  return new Map<string, Route>([
    ['/metrics', metricsRoute(context)],
    ['/healthz', healthzRoute(context)],
    ['/mode', modeRoute(context)],
    ['/attempts', attemptsRoute(context)],
    ['/transactions', transactionsRoute(context, limits.maxWaitMs)],
  ]);
}
