import { describe, expect, it } from 'vitest';
import { buildCommandBytes } from '../src/load/command-bytes.js';
import { buildDataPayload, buildMessage } from '../src/load/message-body.js';
import { ReplyReader } from '../src/load/reply-reader.js';
import { parseCpuList } from '../src/proc/cpu-pinning.js';

describe('ReplyReader', () => {
  it('returns one code per complete reply, multi-line replies included', () => {
    const r = new ReplyReader();
    expect(r.push(Buffer.from('220 hi\r\n250-a\r\n250-PIPELINING\r\n250 SIZE 1\r\n354 go\r\n'))).toEqual([220, 250, 354]);
  });

  it('joins replies split anywhere across chunks', () => {
    const text = '250-x.test\r\n250-PIPELINING\r\n250 OK\r\n421 4.3.2 bye\r\n250\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const r = new ReplyReader();
      const codes = [...r.push(Buffer.from(text.slice(0, cut))), ...r.push(Buffer.from(text.slice(cut)))];
      expect(codes).toEqual([250, 421, 250]);
      expect(r.buffered).toBe(0);
    }
  });

  it('captures the text of the last reply when asked', () => {
    const r = new ReplyReader();
    r.capture = true;
    r.push(Buffer.from('250-x.test\r\n250-PIPE'));
    r.push(Buffer.from('LINING\r\n250 8BITMIME\r\n'));
    expect(r.lastText).toBe('250-x.test\n250-PIPELINING\n250 8BITMIME');
  });

  it('reports a malformed line as code 0', () => {
    expect(new ReplyReader().push(Buffer.from('hello\r\n'))).toEqual([0]);
  });
});

describe('message body', () => {
  it('is exactly the requested size, CRLF-terminated, with no line starting with a dot', () => {
    for (const size of [0, 1, 2, 3, 100, 1024, 100 * 1024]) {
      const m = buildMessage(size);
      expect(m.length).toBe(size);
      expect(m.toString('latin1')).not.toMatch(/(^|\r\n)\./);
    }
  });

  it('ends the payload with the end-of-data marker exactly once', () => {
    for (const size of [0, 1, 2, 1024]) {
      const text = buildDataPayload(size).toString('latin1');
      expect(text.endsWith('\r\n.\r\n')).toBe(true);
      expect(text.indexOf('\r\n.\r\n')).toBe(text.length - 5);
    }
  });

  it('builds pipelined groups from the single commands', () => {
    const b = buildCommandBytes('client.test', 10);
    expect(b.group.toString()).toBe('MAIL FROM:<bench@client.test>\r\nRCPT TO:<sink@server.test>\r\nDATA\r\n');
    expect(b.payloadQuit.toString().endsWith('.\r\nQUIT\r\n')).toBe(true);
  });
});

describe('parseCpuList', () => {
  it('expands ranges', () => {
    expect(parseCpuList(' 0-2,5,7-8\n')).toEqual([0, 1, 2, 5, 7, 8]);
    expect(parseCpuList('3')).toEqual([3]);
  });
});
