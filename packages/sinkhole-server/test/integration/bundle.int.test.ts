import { brotliDecompressSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTempDir, removeDir, SmtpTestClient } from '@sinkhole/test-kit';
import { buildSinkhole } from '../../build.mjs';

let dir: string;
let inputs: string[];
let externals: Record<string, string[]>;

beforeAll(async () => {
  dir = await makeTempDir('bundles');
  ({ inputs, externals } = await buildSinkhole({ outdir: dir, sourcemap: false }));
});
afterAll(async () => {
  await removeDir(dir);
});

it('the executable carries smtp-core, mode-providers (from their sources) and the SSM SDK, and imports only node built-ins', async () => {
  expect(inputs.some((i) => i.includes('smtp-core/src/'))).toBe(true);
  expect(inputs.some((i) => i.includes('mode-providers/src/'))).toBe(true);
  const code = await readFile(join(dir, 'sinkhole-server.mjs'), 'utf8');
  // The SDK rides along compressed, as the data: URL of the dynamic import (see build.mjs).
  const loader = /import\("data:text\/javascript;base64,([A-Za-z0-9+/=]+)"\)/.exec(code)?.[1];
  expect(loader).toBeDefined();
  const packed = /Buffer\.from\('([A-Za-z0-9+/=]+)', 'base64'\)/.exec(Buffer.from(loader ?? '', 'base64').toString('utf8'))?.[1];
  const sdk = brotliDecompressSync(Buffer.from(packed ?? '', 'base64')).toString('utf8');
  expect(sdk).toContain('GetParameterCommand');
  expect(sdk.length).toBeGreaterThan(500_000);
  expect(code.startsWith('#!/usr/bin/env node\n')).toBe(true);
  // The SDK's CommonJS code requires some built-ins without the node: prefix; nothing else may be left.
  const builtins = new Set((await import('node:module')).builtinModules);
  const cli = Object.entries(externals).find(([file]) => file.endsWith('sinkhole-server.mjs'))?.[1] ?? ['missing'];
  expect(cli.filter((s) => !s.startsWith('node:') && !builtins.has(s))).toEqual(['data: (@aws-sdk/client-ssm)']);
});

it('the library bundle (dist/index.mjs) runs startSinkhole with no node_modules, and leaves the SDK out', async () => {
  const code = await readFile(join(dir, 'index.mjs'), 'utf8');
  expect(code).not.toContain('@aws-sdk/client-ssm');
  const lib = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as typeof import('../../src/index.js');
  const sinkhole = await lib.startSinkhole({ mode: 'reply:450 4.2.0 Try later', hostname: 'lib.test' });
  try {
    const c = await SmtpTestClient.connect(sinkhole.address.port);
    expect((await c.reply()).last).toBe('220 lib.test ESMTP ready');
    await c.command('HELO x.test');
    await c.command('MAIL FROM:<>');
    expect((await c.command('RCPT TO:<x@sinkhole.test>')).last).toBe('450 4.2.0 Try later');
    c.close();
  } finally {
    await sinkhole.close({ graceMs: 100 });
  }
});
