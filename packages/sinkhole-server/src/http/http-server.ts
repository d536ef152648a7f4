import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SinkholeLog } from '../log/sinkhole-log.js';
import { BearerToken } from './bearer-token.js';
import type { HttpContext } from './http-context.js';
import { HttpError, sendError, sendJson } from './http-error.js';
import { DEFAULT_HTTP_LIMITS, httpOptionsProblem, isLoopbackHost, MAX_HEADER_BYTES, type HttpLimits, type HttpListenOptions } from './http-options.js';
import { readBody } from './read-body.js';
import { allowed, isMethod, type RouteRequest, type RouteResponse, type RouteTable } from './router.js';
import { routeTable } from './route-table.js';
import { checkQuery } from './routes/query.js';
import { SlowHeaderGuard } from './slow-header-guard.js';

export interface HttpListener {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/**
 * The HTTP surface (metrics, health, mode, attempts, transactions) on node:http. Loaded on
 * demand, so a sinkhole without --http never loads node:http or node:crypto.
 */
export async function startHttpServer(context: HttpContext, options: HttpListenOptions, log: SinkholeLog): Promise<HttpListener> {
  const problem = httpOptionsProblem(options);
  if (problem !== undefined) throw new RangeError(problem);
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const [{ createServer }, crypto] = await Promise.all([import('node:http'), import('node:crypto')]);
  const token = options.token === undefined ? undefined : new BearerToken(options.token, crypto);
  const everyRouteNeedsToken = !isLoopbackHost(options.host);
  const routes = routeTable(context, limits);
  const requests = context.registry.counter('sinkhole_http_requests_total', 'HTTP requests answered, by route, method and status.', {
    labelNames: ['route', 'method', 'status'],
    maxChildren: 256,
  });
  const guard = new SlowHeaderGuard(limits.headersTimeoutMs);
  const server: Server = createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.headersTimeoutMs + 30_000,
    keepAliveTimeout: Math.min(5_000, limits.headersTimeoutMs),
    // Node checks the two timeouts above only this often (default 30 s).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, limits.headersTimeoutMs)),
  });
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket: Socket) => guard.watch(socket));
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    guard.requestStarted(req.socket);
    res.once('finish', () => guard.requestDone(req.socket));
    const started = Date.now();
    let route = 'unmatched';
    handle(req, res, (name) => (route = name)).then(
      () => {
        const method = isMethod(req.method) ? req.method : 'other';
        requests.labels(route, method, String(res.statusCode)).inc();
        if (log.wants('debug')) {
          log.log('debug', { msg: 'http-request', method, route, status: res.statusCode, durationMs: Date.now() - started });
        }
      },
      () => undefined,
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse, named: (route: string) => void): Promise<void> {
    try {
      const result = await dispatch(req, res, routes, named);
      if (res.destroyed) return;
      if ('json' in result) sendJson(res, result.status, result.json);
      else {
        res.writeHead(result.status, { 'content-type': result.contentType, 'content-length': Buffer.byteLength(result.text), 'cache-control': 'no-store' });
        res.end(result.text);
      }
    } catch (error) {
      if (res.destroyed || res.headersSent) return;
      if (error instanceof HttpError) sendError(res, error);
      else {
        log.log('error', { msg: 'http-error', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        sendJson(res, 500, { error: { code: 'internal', message: 'the request failed inside the sinkhole; see its log' } });
      }
    }
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse, table: RouteTable, named: (route: string) => void): Promise<RouteResponse> {
    if (everyRouteNeedsToken) authorize(req);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sinkhole.invalid');
    } catch {
      throw new HttpError('bad_request', 'the request target is not a valid path');
    }
    const route = table.get(url.pathname);
    if (route === undefined) throw new HttpError('not_found', `no route ${url.pathname.slice(0, 128)}; the routes are ${[...table.keys()].join(', ')}`);
    named(url.pathname);
    const method = isMethod(req.method) ? route[req.method] : undefined;
    if (method === undefined) {
      throw new HttpError('method_not_allowed', `${url.pathname} answers ${allowed(route)}, not ${String(req.method).slice(0, 16)}`, { allow: allowed(route) });
    }
    if (method.mutating && !everyRouteNeedsToken) authorize(req);
    checkQuery(url.searchParams, method.query);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes) {
      throw new HttpError('payload_too_large', `the request body is larger than ${limits.maxBodyBytes} bytes (--http-max-body)`, { connection: 'close' });
    }
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    const request: RouteRequest = { req, query: url.searchParams, signal: controller.signal, body: () => readBody(req, limits.maxBodyBytes) };
    return method.handle(request);
  }

  function authorize(req: IncomingMessage): void {
    const challenge = { 'www-authenticate': 'Bearer realm="sinkhole"' };
    if (token === undefined) {
      throw new HttpError('unauthorized', 'this route needs a token, and the server has none: start it with --http-token-file', challenge);
    }
    const verdict = token.check(req.headers.authorization);
    if (verdict === 'missing') throw new HttpError('unauthorized', 'this route needs Authorization: Bearer <token>', challenge);
    if (verdict === 'wrong') throw new HttpError('unauthorized', 'the bearer token does not match', challenge);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        guard.close();
      }),
  };
}
