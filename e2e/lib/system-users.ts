// uid/gid lookups from /etc/passwd and /etc/group (Node has no getpwnam).
import { readFile } from 'node:fs/promises';

async function lookup(file: string, name: string, idField: number): Promise<number> {
  const text = await readFile(file, 'utf8');
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields[idField] !== undefined) return Number(fields[idField]);
  }
  throw new Error(`${name} not found in ${file}`);
}

export const uidOf = (user: string): Promise<number> => lookup('/etc/passwd', user, 2);
export const gidOf = (group: string): Promise<number> => lookup('/etc/group', group, 2);
