import { describe, expect, it } from 'vitest';
import { createSmtpServer } from '../src/index.js';
import { checkListenBacklog, DEFAULT_LISTEN_BACKLOG, defaultListenBacklog, readSomaxconn } from '../src/listen-backlog.js';

describe('listen backlog', () => {
  it('defaults to 4096, or the kernel somaxconn when that is larger', () => {
    expect(DEFAULT_LISTEN_BACKLOG).toBe(4096);
    expect(defaultListenBacklog(undefined)).toBe(4096);
    expect(defaultListenBacklog(128)).toBe(4096);
    expect(defaultListenBacklog(4096)).toBe(4096);
    expect(defaultListenBacklog(65_535)).toBe(65_535);
  });

  it('reads somaxconn as a positive integer, and anything else as unknown', () => {
    expect(readSomaxconn(() => '4096\n')).toBe(4096);
    expect(readSomaxconn(() => '65535')).toBe(65_535);
    expect(readSomaxconn(() => '')).toBeUndefined();
    expect(readSomaxconn(() => '0\n')).toBeUndefined();
    expect(readSomaxconn(() => 'lots')).toBeUndefined();
    expect(
      readSomaxconn(() => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      }),
    ).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 31])('refuses a backlog of %s', (backlog) => {
    expect(() => checkListenBacklog(backlog)).toThrow(expect.objectContaining({ code: 'ERR_SMTP_INVALID_OPTION' }));
  });

  it('listen() rejects a bad backlog and listens with a good one', async () => {
    const server = createSmtpServer({ hostname: 'backlog.test' });
    await expect(server.listen(0, '127.0.0.1', { backlog: 0 })).rejects.toMatchObject({ code: 'ERR_SMTP_INVALID_OPTION' });
    const address = await server.listen(0, '127.0.0.1', { backlog: 16 });
    expect(address.port).toBeGreaterThan(0);
    await server.close();
  });
});
