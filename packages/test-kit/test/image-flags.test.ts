import { describe, expect, it } from 'vitest';
import { imageNodeFlags, parseEntrypointNodeFlags, SINKHOLE_DOCKERFILE } from '../src/index.js';

describe('parseEntrypointNodeFlags', () => {
  it('takes the node flags before the script from the last exec-form ENTRYPOINT', () => {
    const dockerfile = 'FROM node:20\nENTRYPOINT ["node", "/x.mjs"]\nENTRYPOINT ["node", "--max-semi-space-size=2", "--enable-source-maps", "/app/s.mjs", "--flag"]\n';
    expect(parseEntrypointNodeFlags(dockerfile)).toEqual(['--max-semi-space-size=2', '--enable-source-maps']);
    expect(parseEntrypointNodeFlags('ENTRYPOINT node /x.mjs')).toEqual([]);
    expect(parseEntrypointNodeFlags('ENTRYPOINT ["tini", "--", "node"]')).toEqual([]);
  });
});

describe('imageNodeFlags', () => {
  it("reads the sinkhole Dockerfile's exec-form ENTRYPOINT (its node flags, none today)", () => {
    const flags = imageNodeFlags(SINKHOLE_DOCKERFILE);
    expect(flags.every((flag) => flag.startsWith('--'))).toBe(true);
  });

  it('refuses a Dockerfile without an exec-form node ENTRYPOINT', () => {
    expect(() => imageNodeFlags(new URL('../package.json', import.meta.url).pathname)).toThrow(/no exec-form ENTRYPOINT/);
  });
});
