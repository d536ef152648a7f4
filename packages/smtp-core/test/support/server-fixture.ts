import { SmtpTestClient } from '@sinkhole/test-kit';
import { afterEach } from 'vitest';
import { createSmtpServer, type SmtpEvent, type SmtpServer, type SmtpServerOptions } from '../../src/index.js';

export interface StartedServer {
  readonly server: SmtpServer;
  readonly port: number;
  readonly events: SmtpEvent[];
}

/**
 * Servers on 127.0.0.1:0 (hostname mx.test, events collected) and clients to them, all closed
 * after each test of the calling file.
 */
export function useServers(): {
  start: (options?: SmtpServerOptions) => Promise<StartedServer>;
  client: (port: number) => Promise<SmtpTestClient>;
} {
  const servers: SmtpServer[] = [];
  const clients: SmtpTestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close({ graceMs: 500 })));
  });
  return {
    start: async (options = {}) => {
      const events: SmtpEvent[] = [];
      const server = createSmtpServer({ hostname: 'mx.test', onEvent: (e) => events.push(e), ...options });
      servers.push(server);
      const { port } = await server.listen(0, '127.0.0.1');
      return { server, port, events };
    },
    client: async (port) => {
      const c = await SmtpTestClient.connect(port, { encoding: 'utf8' });
      clients.push(c);
      return c;
    },
  };
}
