import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpServer, type SmtpServer } from '../../src/index.js';
import { runTranscript } from '../support/transcript-runner.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

describe('transcripts over a real socket', () => {
  let server: SmtpServer;
  let port = 0;
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createSmtpServer({
      hostname: 'mx.test',
      limits: { maxMessageSize: 1024 * 1024 },
      policy: () => {
        let body = '';
        return {
          onDataChunk: (chunk) => void (body += chunk.toString('latin1')),
          onDataEnd: () => {
            bodies.push(body);
            body = '';
            return undefined;
          },
        };
      },
    });
    port = (await server.listen(0, '127.0.0.1')).port;
  });

  afterAll(() => server.close({ graceMs: 1000 }));
  beforeEach(() => void (bodies.length = 0));

  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'))) {
    it(file, async () => {
      await runTranscript(join(FIXTURES, file), port);
      if (file.startsWith('smuggling-')) {
        expect(bodies).toHaveLength(1);
        expect(bodies[0]).toContain('MAIL FROM:<smuggled@example.com>');
        expect(bodies[0]).toContain('smuggled body');
      }
    });
  }
});
