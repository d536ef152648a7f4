import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  readonly endpoint: string;
  /** Requests received. */
  readonly requestCount: number;
  /** Requests received and not yet answered or abandoned by the client. */
  readonly openRequests: number;
  /** The most requests ever open at once. */
  readonly maxOpenRequests: number;
  /** How long each request waits before it is forwarded; 0 passes them straight through. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * An HTTP proxy in front of the SSM stand-in that answers late (the stand-in itself only knows
 * "hang"): each request is held `delayMs`, then forwarded and its answer relayed. A client that
 * gives up (the SDK's abort) closes its request, which the proxy counts as no longer open.
 */
export async function startSlowProxy(target: string, delayMs: number): Promise<SlowProxy> {
  let delay = delayMs;
  let requestCount = 0;
  let open = 0;
  let maxOpen = 0;
  const server = createServer((req, res) => {
    requestCount++;
    open++;
    maxOpen = Math.max(maxOpen, open);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      open--;
    };
    res.on('close', finish);
    body(req)
      .then((payload) => {
        const timer = setTimeout(() => {
          const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          upstream.on('error', () => res.destroy());
          upstream.end(payload);
        }, delay);
        res.on('close', () => clearTimeout(timer));
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requestCount() {
      return requestCount;
    },
    get openRequests() {
      return open;
    },
    get maxOpenRequests() {
      return maxOpen;
    },
    setDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
