import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseMode } from '../../../src/mode/parse-mode.js';

const schema = JSON.parse(await readFile(new URL('../../../scenario.schema.json', import.meta.url), 'utf8')) as {
  properties: Record<string, unknown>;
  $defs: { rule: { properties: Record<string, unknown> } };
};
const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');

describe('scenario.schema.json and the README examples', () => {
  it('names exactly the fields the reader takes', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(['countBy', 'name', 'otherwise', 'rules']);
    const ruleKeys = Object.keys(schema.$defs.rule.properties).sort();
    // Each known key is accepted by the reader; an unknown one is refused.
    for (const key of ruleKeys) {
      const parsed = parseMode(JSON.stringify({ rules: [{ [key]: 'x' }] }));
      expect(parsed.ok ? '' : parsed.error.message).not.toContain('unknown field');
    }
    const parsed = parseMode(JSON.stringify({ rules: [{ nope: 1 }] }));
    expect(parsed.ok ? '' : parsed.error.message).toContain('unknown field; known: on, client, helo, from, to, size, header, attempt, since, reply, script, greylist, tls, extensions, delay, trickle, close, hang');
    expect(ruleKeys).toEqual(['attempt', 'client', 'close', 'delay', 'extensions', 'from', 'greylist', 'hang', 'header', 'helo', 'on', 'reply', 'script', 'since', 'size', 'tls', 'to', 'trickle']);
  });

  it('every JSON document in the README Scenarios section is a valid mode, under 4 KB', () => {
    const start = readme.indexOf('## Scenarios');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documents = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(documents.length).toBeGreaterThanOrEqual(5);
    for (const text of documents) {
      const parsed = parseMode(text);
      expect(parsed.ok, parsed.ok ? '' : parsed.error.message).toBe(true);
      expect(text.trim().length).toBeLessThanOrEqual(4096);
    }
  });
});
