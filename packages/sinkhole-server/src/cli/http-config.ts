import { readFileSync } from 'node:fs';
import { DEFAULT_HTTP_LIMITS, httpOptionsProblem, MAX_TOKEN_LENGTH, tokenProblem } from '../http/http-options.js';
import { DEFAULT_TRANSACTION_RING } from '../transactions/transaction-ring.js';
import type { FlagReader } from './flag-reader.js';
import type { HttpConfig } from './server-config.js';
import { SERVER_FLAGS as F } from './server-flags.js';
import { UsageError } from './usage-error.js';

/** The token file's text, trimmed; a file much larger than a token is refused unread. */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_TOKEN_LENGTH + 64) throw new UsageError(`--http-token-file ${path}: the file is larger than a token (${bytes.length} bytes)`);
    text = bytes.toString('utf8').trim();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`--http-token-file ${path}: cannot read it (${code})`);
  }
  const problem = tokenProblem(text);
  if (problem !== undefined) throw new UsageError(`--http-token-file ${path}: ${problem}`);
  return text;
}

/** The HTTP surface from --http and its flags; undefined without --http (its flags are then refused). */
export function httpConfig(reader: FlagReader): HttpConfig | undefined {
  const listen = reader.get(F.http);
  if (listen === undefined) {
    for (const spec of [F.httpTokenFile, F.httpMaxBody, F.httpHeaderTimeout, F.httpMaxWait, F.httpMaxConnections, F.httpTransactions, F.httpTransactionsBytes]) {
      if (reader.origin(spec) === 'flag') throw new UsageError(`--${spec.name} does not apply without --http HOST:PORT`);
    }
    return undefined;
  }
  const tokenFile = reader.get(F.httpTokenFile);
  const config: HttpConfig = {
    host: listen.host,
    port: listen.port,
    token: tokenFile === undefined ? undefined : readTokenFile(tokenFile),
    limits: {
      maxBodyBytes: reader.get(F.httpMaxBody) ?? DEFAULT_HTTP_LIMITS.maxBodyBytes,
      headersTimeoutMs: reader.get(F.httpHeaderTimeout) ?? DEFAULT_HTTP_LIMITS.headersTimeoutMs,
      maxWaitMs: reader.get(F.httpMaxWait) ?? DEFAULT_HTTP_LIMITS.maxWaitMs,
      maxConnections: reader.get(F.httpMaxConnections) ?? DEFAULT_HTTP_LIMITS.maxConnections,
    },
    transactions: {
      maxEntries: reader.get(F.httpTransactions) ?? DEFAULT_TRANSACTION_RING.maxEntries,
      maxBytes: reader.get(F.httpTransactionsBytes) ?? DEFAULT_TRANSACTION_RING.maxBytes,
    },
  };
  const problem = httpOptionsProblem(config);
  if (problem !== undefined) throw new UsageError(problem);
  return config;
}
