import { createRequire } from 'node:module';
import type * as Crypto from 'node:crypto';
import type * as Tls from 'node:tls';

// node:tls (and the node:crypto it loads) cost 2 MB of resident memory on Node 20 and 6 MB on
// Node 24 from the moment they are imported. Most servers never use TLS, so the engine loads
// them on first use, synchronously, instead of with a static import. Only these two node:
// built-ins are loaded this way (the zero-dependency guard holds every other import to ESM).
const loadBuiltin = createRequire(import.meta.url);
let tls: typeof Tls | undefined;
let crypto: typeof Crypto | undefined;

export function nodeTls(): typeof Tls {
  tls ??= loadBuiltin('node:tls') as typeof Tls;
  return tls;
}

export function nodeCrypto(): typeof Crypto {
  crypto ??= loadBuiltin('node:crypto') as typeof Crypto;
  return crypto;
}
