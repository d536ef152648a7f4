// LMTP (RFC 2033) with python's smtplib.LMTP: two recipients whose address scripts give different
// outcomes get one reply each after the data, in RCPT order.
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { PYTHON_BIN } from '../lib/paths.js';
import { runCommand } from '../lib/run-command.js';
import { useSinkholes } from '../lib/sinkhole-fixture.js';
import { describeE2E } from '../lib/tier.js';

const SCRIPT = fileURLToPath(new URL('./lmtp-send.py', import.meta.url));

describeE2E('client: python3 smtplib.LMTP against --protocol lmtp', () => {
  const sinkhole = useSinkholes();

  it('a+250 gets 250 and b+452 gets 452 after the data; RCPT answered 250 for both; EHLO gets 500', async () => {
    const s = await sinkhole({ mode: 'accept', extraArgs: ['--protocol', 'lmtp'] });
    const run = await runCommand(PYTHON_BIN, [SCRIPT, String(s.port), 'client@lmtp.e2e.test', 'a+250@sinkhole.test', 'b+452@sinkhole.test']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { lhlo: number; rcpt: [number, string][]; data: [string, number, string][]; ehlo: number };
    expect(out.lhlo).toBe(250);
    expect(out.rcpt.map(([code]) => code)).toEqual([250, 250]);
    expect(out.data.map(([rcpt, code]) => [rcpt, code])).toEqual([
      ['a+250@sinkhole.test', 250],
      ['b+452@sinkhole.test', 452],
    ]);
    expect(out.ehlo).toBe(500);
    const connection = await s.waitForEvent((e) => e.msg === 'connection', 5_000, 'the connection line');
    expect(connection['recipients']).toMatchObject([
      { address: 'a+250@sinkhole.test', code: 250 },
      { address: 'b+452@sinkhole.test', code: 452 },
    ]);
  });
});
