import { parseExtensionList } from '../cli/extension-list.js';
import { parseDuration } from '../cli/values.js';
import { parseAddressScript } from './address-script.js';
import { parseCidr, type Cidr } from './cidr.js';
import { DOCUMENT_LIMITS } from './document-limits.js';
import { DocumentError, describe, integerAt, objectAt, stringAt } from './document-error.js';
import { Glob, MAX_GLOB_LENGTH } from './glob.js';
import { readReply } from './read-reply.js';
import { PHASES, type NumberRange, type Phase, type RuleDelivery, type RuleOutcome, type ScenarioRule } from './scenario-types.js';

const RULE_KEYS = ['on', 'client', 'helo', 'from', 'to', 'size', 'header', 'attempt', 'since', 'reply', 'script', 'greylist', 'tls', 'extensions', 'delay', 'trickle', 'close', 'hang'];
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function phasesAt(path: string, value: unknown): ReadonlySet<Phase> {
  if (value === undefined) return new Set<Phase>(['rcpt']);
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new DocumentError(path, 'names no phase');
  return new Set(
    list.map((item, i) => {
      const at = Array.isArray(value) ? `${path}[${i}]` : path;
      if (typeof item !== 'string' || !(PHASES as readonly string[]).includes(item)) {
        throw new DocumentError(at, `expected one of ${PHASES.join(', ')}, got ${describe(item)}`);
      }
      return item as Phase;
    }),
  );
}

function globAt(path: string, value: unknown): Glob | undefined {
  return value === undefined ? undefined : new Glob(stringAt(path, value, MAX_GLOB_LENGTH));
}

function clientsAt(path: string, value: unknown): Cidr[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > DOCUMENT_LIMITS.maxClients) throw new DocumentError(path, `expected 1 to ${DOCUMENT_LIMITS.maxClients} addresses or networks`);
  return list.map((item, i) => {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    const cidr = parseCidr(stringAt(at, item, 49));
    if (cidr === undefined) throw new DocumentError(at, `expected an IP address or network such as 192.0.2.0/24 or 2001:db8::/32, got ${describe(item)}`);
    return cidr;
  });
}

/** A duration as a document writes it: `"500ms"`, `"30s"`, `"5m"`, `"1h"` or a number of milliseconds. */
export function durationAt(path: string, value: unknown, max: number): number {
  let ms = Number.NaN;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const parsed = parseDuration(value);
    if (parsed.ok) ms = parsed.value;
  }
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > max) {
    throw new DocumentError(path, `expected a duration such as 500ms, 30s or 5m, at most ${max} ms, got ${describe(value)}`);
  }
  return ms;
}

function rangeAt(path: string, value: unknown, read: (path: string, value: unknown) => number): NumberRange | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string') {
    const exact = read(path, value);
    return { min: exact, max: exact };
  }
  const o = objectAt(path, value, ['min', 'max']);
  const min = o['min'] === undefined ? undefined : read(`${path}.min`, o['min']);
  const max = o['max'] === undefined ? undefined : read(`${path}.max`, o['max']);
  if (min === undefined && max === undefined) throw new DocumentError(path, 'give min, max or both');
  if (min !== undefined && max !== undefined && min > max) throw new DocumentError(path, `min (${min}) is above max (${max})`);
  return { min, max };
}

function outcomeAt(path: string, o: Readonly<Record<string, unknown>>, phases: ReadonlySet<Phase>): RuleOutcome {
  const given = ['reply', 'script', 'greylist', 'tls', 'extensions'].filter((key) => o[key] !== undefined);
  if (given.length > 1) throw new DocumentError(path, `give one of reply, script, greylist, tls or extensions, not ${given.join(' and ')}`);
  if (o['extensions'] !== undefined) {
    const list = parseExtensionList(stringAt(`${path}.extensions`, o['extensions'], 200));
    if (!list.ok) throw new DocumentError(`${path}.extensions`, list.problem);
    if (phases.size !== 1 || !phases.has('helo')) throw new DocumentError(`${path}.extensions`, 'the extension set is chosen at EHLO: set "on": "helo"');
    return { kind: 'extensions', extensions: list.value };
  }
  if (o['tls'] !== undefined) {
    if (o['tls'] !== 'reset' && o['tls'] !== 'alert') throw new DocumentError(`${path}.tls`, `expected "reset" or "alert", got ${describe(o['tls'])}`);
    if (phases.size !== 1 || !phases.has('starttls')) throw new DocumentError(`${path}.tls`, 'breaking the handshake answers starttls only: set "on": "starttls"');
    return { kind: 'tls-abort', abort: o['tls'] };
  }
  if (o['reply'] !== undefined) return { kind: 'reply', reply: readReply(`${path}.reply`, o['reply'], phases) };
  if (o['script'] !== undefined) {
    const script = parseAddressScript(stringAt(`${path}.script`, o['script'], 64));
    if (script === undefined) throw new DocumentError(`${path}.script`, `not a script such as 421x2.250 or 421for20m.250, got ${describe(o['script'])}`);
    if (phases.size !== 1 || !phases.has('rcpt')) throw new DocumentError(`${path}.script`, 'a script counts RCPT attempts: it answers rcpt only');
    return { kind: 'script', script };
  }
  if (o['greylist'] !== undefined) {
    if (o['greylist'] !== true) throw new DocumentError(`${path}.greylist`, 'expected true');
    if (phases.size !== 1 || !phases.has('rcpt')) throw new DocumentError(`${path}.greylist`, 'greylisting answers rcpt only');
    return { kind: 'greylist' };
  }
  return { kind: 'default' };
}

function deliveryAt(path: string, o: Readonly<Record<string, unknown>>): RuleDelivery {
  const delayMs = o['delay'] === undefined ? 0 : durationAt(`${path}.delay`, o['delay'], DOCUMENT_LIMITS.maxDelayMs);
  const trickleMs = o['trickle'] === undefined ? 0 : durationAt(`${path}.trickle`, o['trickle'], DOCUMENT_LIMITS.maxTrickleMs);
  let close: RuleDelivery['close'];
  if (o['close'] !== undefined) {
    if (o['close'] !== 'fin' && o['close'] !== 'rst') throw new DocumentError(`${path}.close`, `expected "fin" or "rst", got ${describe(o['close'])}`);
    close = o['close'];
  }
  if (o['hang'] !== undefined) {
    if (o['hang'] !== true) throw new DocumentError(`${path}.hang`, 'expected true');
    if (close !== undefined || o['reply'] !== undefined || trickleMs > 0) throw new DocumentError(`${path}.hang`, 'a hang sends nothing: no reply, trickle or close with it');
    close = 'hang';
  }
  return { delayMs, trickleMs, close };
}

export function readRule(path: string, value: unknown, index: number): ScenarioRule {
  const o = objectAt(path, value, RULE_KEYS);
  const phases = phasesAt(`${path}.on`, o['on']);
  let header: ScenarioRule['when']['header'];
  if (o['header'] !== undefined) {
    const h = objectAt(`${path}.header`, o['header'], ['name', 'value']);
    const name = stringAt(`${path}.header.name`, h['name'], DOCUMENT_LIMITS.maxHeaderNameLength);
    if (!HEADER_NAME.test(name)) throw new DocumentError(`${path}.header.name`, 'a header name is printable ASCII without spaces or colons (RFC 5322 §2.2)');
    if (phases.size !== 1 || !phases.has('data-end')) throw new DocumentError(`${path}.header`, 'headers are known at data-end only: set "on": "data-end"');
    header = { name: name.toLowerCase(), value: globAt(`${path}.header.value`, h['value']) };
  }
  const outcome = outcomeAt(path, o, phases);
  const delivery = deliveryAt(path, o);
  if (outcome.kind === 'default' && delivery.delayMs === 0 && delivery.trickleMs === 0 && delivery.close === undefined) {
    throw new DocumentError(path, 'the rule does nothing: give reply, script, greylist, delay, trickle, close or hang');
  }
  return {
    index,
    when: {
      phases,
      clients: clientsAt(`${path}.client`, o['client']),
      helo: globAt(`${path}.helo`, o['helo']),
      from: globAt(`${path}.from`, o['from']),
      to: globAt(`${path}.to`, o['to']),
      size: rangeAt(`${path}.size`, o['size'], (p, v) => integerAt(p, v, 0, Number.MAX_SAFE_INTEGER)),
      header,
      attempt: rangeAt(`${path}.attempt`, o['attempt'], (p, v) => integerAt(p, v, 1, Number.MAX_SAFE_INTEGER)),
      since: rangeAt(`${path}.since`, o['since'], (p, v) => durationAt(p, v, 30 * 24 * 3_600_000)),
    },
    outcome,
    delivery,
  };
}
