/**
 * The header block's values by lowercased field name, unfolded (RFC 5322 §2.2.3). The block
 * is at most maxHeaderBytes, so this costs at most one pass over a bounded buffer.
 */
export function headerLookup(block: Buffer | undefined): (name: string) => readonly string[] {
  const fields = new Map<string, string[]>();
  if (block !== undefined) {
    let name: string | undefined;
    for (const line of block.toString('latin1').split(/\r?\n/)) {
      if (line.length === 0) break;
      if ((line.startsWith(' ') || line.startsWith('\t')) && name !== undefined) {
        const values = fields.get(name) as string[];
        values[values.length - 1] += ` ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) {
        name = undefined;
        continue;
      }
      name = line.slice(0, colon).trim().toLowerCase();
      const list = fields.get(name) ?? [];
      list.push(line.slice(colon + 1).trim());
      fields.set(name, list);
    }
  }
  return (name) => fields.get(name) ?? [];
}
