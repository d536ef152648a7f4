import { ATEXT, isAsciiLetDig, NO_ROUTE } from './address-chars.js';
import type { MailPath } from './path.js';


const DOT = 0x2e;
const HYPHEN = 0x2d;

/**
 * The fast path for the paths nearly every client sends: `<local@domain>` with an ASCII
 * dot-string local part and a plain domain, read straight from the command's bytes. Returns
 * the path and the index after `>`, or undefined for anything else (quoted local parts,
 * source routes, address literals, the null path, UTF-8, errors), which the general parser
 * then handles, so both paths accept exactly the same language.
 */
export function parsePlainPath(line: Buffer, start: number, lineEnd = line.length): { readonly path: MailPath; readonly end: number } | undefined {
  if (start >= lineEnd || line[start] !== 0x3c) return undefined;
  const from = start + 1;
  // Local part: 1*atext *("." 1*atext)
  let i = from;
  let atomLength = 0;
  for (; i < lineEnd; i++) {
    const c = line[i] as number;
    if (c === DOT) {
      if (atomLength === 0) return undefined;
      atomLength = 0;
    } else if (ATEXT[c] === 1) {
      atomLength++;
    } else {
      break;
    }
  }
  if (atomLength === 0 || i >= lineEnd || line[i] !== 0x40) return undefined;
  const at = i;
  // Domain: labels of letters, digits and inner hyphens, each 1..63 octets, 255 in all.
  let labelStart = at + 1;
  for (i = labelStart; i < lineEnd; i++) {
    const c = line[i] as number;
    if (c === DOT || c === 0x3e) {
      const length = i - labelStart;
      if (length === 0 || length > 63 || line[i - 1] === HYPHEN) return undefined;
      if (c === 0x3e) break;
      labelStart = i + 1;
    } else if (i === labelStart ? !isAsciiLetDig(c) : !isAsciiLetDig(c) && c !== HYPHEN) {
      return undefined;
    }
  }
  if (i >= lineEnd || line[i] !== 0x3e || i - at - 1 > 255) return undefined;
  const address = line.toString('latin1', from, i);
  const localLength = at - from;
  return {
    path: { address, localPart: address.slice(0, localLength), domain: address.slice(localLength + 1), sourceRoute: NO_ROUTE, utf8: false },
    end: i + 1,
  };
}
