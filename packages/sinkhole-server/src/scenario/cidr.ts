/** An IPv4 or IPv6 network, e.g. `192.0.2.0/24`, `2001:db8::/32`, or one address. */
export interface Cidr {
  readonly text: string;
  readonly family: 4 | 6;
  /** The address as 16-bit groups (IPv4: two of them). */
  readonly groups: readonly number[];
  readonly prefix: number;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return [((bytes[0] as number) << 8) | (bytes[1] as number), ((bytes[2] as number) << 8) | (bytes[3] as number)];
}

function parseIpv6(text: string): number[] | undefined {
  if (text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const read = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      // An embedded IPv4 address may end it (::ffff:192.0.2.1).
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === undefined) return undefined;
        groups.push(...v4);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(part)) return undefined;
        groups.push(Number.parseInt(part, 16));
      }
    }
    return groups;
  };
  const head = read(halves[0] as string);
  const tail = halves.length === 2 ? read(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** An address as its family and 16-bit groups; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) counts as IPv4. */
export function parseIp(text: string): { readonly family: 4 | 6; readonly groups: number[] } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, groups: v4 };
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) return { family: 4, groups: v6.slice(6) };
  return { family: 6, groups: v6 };
}

/** Reads `address` or `address/prefix`; undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(digits) || Number(digits) > max) return undefined;
    prefix = Number(digits);
  }
  return { text, family: ip.family, groups: ip.groups, prefix };
}

/** True when the client address is inside the network. */
export function cidrContains(cidr: Cidr, address: { readonly family: 4 | 6; readonly groups: readonly number[] }): boolean {
  if (cidr.family !== address.family) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((cidr.groups[i] as number) & mask) !== ((address.groups[i] as number) & mask)) return false;
  }
  return true;
}
