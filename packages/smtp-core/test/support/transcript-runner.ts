import { readFileSync } from 'node:fs';
import { SmtpTestClient } from '@sinkhole/test-kit';

/**
 * Plays a C:/S: transcript against a live server over a real socket.
 *
 * - `C: text`   client line (CRLF added); consecutive C: lines go out in one write (pipelining)
 * - `C! text`   raw client bytes with escapes \r \n \\ \xHH, no CRLF added
 * - `S: text`   next server line must equal text; `*` at the end matches any rest
 * - `S~ regex`  next server line must match the regular expression
 * - `CLOSED`    the server closes the connection cleanly (FIN, not reset) with nothing more to say
 * - `#`         comment
 */
export type Step =
  | { readonly kind: 'send'; readonly bytes: Buffer; readonly line: number }
  | { readonly kind: 'expect'; readonly match: (s: string) => boolean; readonly text: string; readonly line: number }
  | { readonly kind: 'closed'; readonly line: number };

export function parseTranscript(text: string): Step[] {
  const steps: Step[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = index + 1;
    const content = raw.replace(/\r$/, '');
    if (content.trim() === '' || content.startsWith('#')) continue;
    if (content === 'CLOSED') {
      steps.push({ kind: 'closed', line });
      continue;
    }
    if (content === 'C:') {
      steps.push({ kind: 'send', bytes: Buffer.from('\r\n'), line });
      continue;
    }
    const tag = content.slice(0, 3);
    const body = content.slice(3);
    if (tag === 'C: ') {
      steps.push({ kind: 'send', bytes: Buffer.from(`${body}\r\n`, 'utf8'), line });
      continue;
    }
    if (tag === 'C! ') {
      steps.push({ kind: 'send', bytes: unescapeBytes(body), line });
      continue;
    }
    if (tag === 'S: ') {
      const match = body.endsWith('*') ? (s: string) => s.startsWith(body.slice(0, -1)) : (s: string) => s === body;
      steps.push({ kind: 'expect', match, text: body, line });
      continue;
    }
    if (tag === 'S~ ') {
      const re = new RegExp(`^${body}$`);
      steps.push({ kind: 'expect', match: (s) => re.test(s), text: body, line });
      continue;
    }
    throw new Error(`transcript line ${line}: cannot parse ${JSON.stringify(content)}`);
  }
  return steps;
}

function unescapeBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c as string, 'utf8'));
      continue;
    }
    const next = text[++i];
    if (next === 'r') bytes.push(13);
    else if (next === 'n') bytes.push(10);
    else if (next === '\\') bytes.push(92);
    else if (next === 'x') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`bad escape \\${next}`);
  }
  return Buffer.from(bytes);
}

/** Runs a transcript file against host:port; throws with the transcript line on the first mismatch. */
export async function runTranscript(path: string, port: number): Promise<void> {
  const steps = parseTranscript(readFileSync(path, 'utf8'));
  const client = await SmtpTestClient.connect(port, { encoding: 'utf8' });
  try {
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      if (step.kind === 'send') {
        const batch = [step.bytes];
        while (steps[i + 1]?.kind === 'send') batch.push((steps[++i] as { bytes: Buffer }).bytes);
        client.write(Buffer.concat(batch));
      } else if (step.kind === 'expect') {
        const got = await client.readLine();
        if (!step.match(got)) throw new Error(`${path}:${step.line}: expected ${JSON.stringify(step.text)}, got ${JSON.stringify(got)}`);
      } else {
        await client.expectClosed().catch((error: unknown) => {
          throw new Error(`${path}:${step.line}: expected a clean close: ${String(error)}`);
        });
      }
    }
  } finally {
    client.destroy();
  }
}
