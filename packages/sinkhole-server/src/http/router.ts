import type { IncomingMessage } from 'node:http';

export const METHODS = ['GET', 'PUT', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly query: URLSearchParams;
  /** Aborted when the client goes away (a long poll stops waiting). */
  readonly signal: AbortSignal;
  /** The body as text, bounded (413 past the bound). */
  body(): Promise<string>;
}

export type RouteResponse =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly text: string; readonly contentType: string };

export interface RouteMethod {
  /** Changes something: always needs the token. */
  readonly mutating: boolean;
  /** Query parameters it accepts; any other is a 400. */
  readonly query: readonly string[];
  readonly handle: (request: RouteRequest) => RouteResponse | Promise<RouteResponse>;
}

export type Route = Partial<Record<Method, RouteMethod>>;

/** Path → route. */
export type RouteTable = ReadonlyMap<string, Route>;

export function isMethod(method: string | undefined): method is Method {
  return (METHODS as readonly string[]).includes(method ?? '');
}

/** The Allow header of a route (RFC 9110 §10.2.1). */
export function allowed(route: Route): string {
  return METHODS.filter((m) => route[m] !== undefined).join(', ');
}
