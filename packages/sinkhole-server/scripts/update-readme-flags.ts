// Rewrites the flag tables in README.md from the flag definitions (the same ones --help uses).
// Run: npx tsx --conditions=source packages/sinkhole-server/scripts/update-readme-flags.ts
import { readFile, writeFile } from 'node:fs/promises';
import { flagsMarkdown, replaceFlagsSection } from './readme-flags.js';

const path = new URL('../README.md', import.meta.url);
const readme = await readFile(path, 'utf8');
const updated = replaceFlagsSection(readme, flagsMarkdown());
if (updated === readme) {
  console.log('README.md flags are up to date');
} else {
  await writeFile(path, updated);
  console.log('README.md flags rewritten');
}
