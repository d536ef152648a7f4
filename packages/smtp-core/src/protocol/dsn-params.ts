import type { EsmtpParams } from './esmtp-params.js';
import { decodeXtext } from './xtext.js';

/** RFC 3461 §4.3 / §4.4: what MAIL FROM asked of delivery status notifications. */
export interface MailDsn {
  /** Return the full message or only its headers in a failure DSN. */
  readonly ret: 'FULL' | 'HDRS' | undefined;
  /** The envelope identifier, xtext-decoded. */
  readonly envid: string | undefined;
}

export type NotifyCondition = 'SUCCESS' | 'FAILURE' | 'DELAY';

/** RFC 3461 §4.1 / §4.2: what RCPT TO asked of delivery status notifications. */
export interface RcptDsn {
  /** `NEVER`, or the conditions that warrant a DSN, in the order given. */
  readonly notify: 'NEVER' | readonly NotifyCondition[] | undefined;
  /** The original recipient: address type (e.g. `rfc822`) and the xtext-decoded address. */
  readonly orcpt: { readonly addrType: string; readonly address: string } | undefined;
}

export type DsnResult<T> = { readonly ok: true; readonly dsn: T } | { readonly ok: false; readonly reason: string };

/** RFC 3461 §4.4: "ENVID ... MUST NOT exceed 100 characters" (in its xtext form). */
export const MAX_ENVID_LENGTH = 100;
/** RFC 3461 §4.2: the ORCPT value is limited to 500 characters. */
export const MAX_ORCPT_LENGTH = 500;

const NOTIFY_CONDITIONS = new Set<string>(['SUCCESS', 'FAILURE', 'DELAY']);
// addr-type is an RFC 822 atom; in practice `rfc822`, `utf-8`, `x400`.
const ADDR_TYPE_RE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;

/** Reads RET and ENVID from MAIL's parameters. Other keywords are ignored here. */
export function parseMailDsn(params: EsmtpParams): DsnResult<MailDsn | undefined> {
  const ret = params.get('RET');
  const envid = params.get('ENVID');
  if (ret === undefined && envid === undefined) return { ok: true, dsn: undefined };
  let retValue: MailDsn['ret'];
  if (ret !== undefined) {
    const upper = ret === true ? '' : ret.toUpperCase();
    if (upper !== 'FULL' && upper !== 'HDRS') return { ok: false, reason: 'RET must be FULL or HDRS' };
    retValue = upper;
  }
  let envidValue: string | undefined;
  if (envid !== undefined) {
    if (envid === true) return { ok: false, reason: 'ENVID needs a value' };
    if (envid.length > MAX_ENVID_LENGTH) return { ok: false, reason: `ENVID is longer than ${MAX_ENVID_LENGTH} characters` };
    envidValue = decodeXtext(envid);
    if (envidValue === undefined) return { ok: false, reason: 'ENVID is not valid xtext' };
    // §4.4: the decoded ENVID is printable US-ASCII.
    if (!/^[\x20-\x7e]*$/.test(envidValue)) return { ok: false, reason: 'ENVID must decode to printable ASCII' };
  }
  return { ok: true, dsn: { ret: retValue, envid: envidValue } };
}

/** Reads NOTIFY and ORCPT from RCPT's parameters. Other keywords are ignored here. */
export function parseRcptDsn(params: EsmtpParams): DsnResult<RcptDsn | undefined> {
  const notify = params.get('NOTIFY');
  const orcpt = params.get('ORCPT');
  if (notify === undefined && orcpt === undefined) return { ok: true, dsn: undefined };
  let notifyValue: RcptDsn['notify'];
  if (notify !== undefined) {
    const parsed = parseNotify(notify);
    if (typeof parsed === 'string' && parsed !== 'NEVER') return { ok: false, reason: parsed };
    notifyValue = parsed;
  }
  let orcptValue: RcptDsn['orcpt'];
  if (orcpt !== undefined) {
    const parsed = parseOrcpt(orcpt);
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    orcptValue = parsed;
  }
  return { ok: true, dsn: { notify: notifyValue, orcpt: orcptValue } };
}

/** `NEVER`, the list of conditions, or (any other string) the reason it is malformed. */
function parseNotify(value: string | true): 'NEVER' | NotifyCondition[] | string {
  if (value === true) return 'NOTIFY needs a value';
  const items = value.toUpperCase().split(',');
  // §4.1: NEVER "MUST NOT" be combined with any other value.
  if (items.includes('NEVER')) return items.length === 1 ? 'NEVER' : 'NOTIFY=NEVER cannot be combined with other values';
  const conditions: NotifyCondition[] = [];
  for (const item of items) {
    if (!NOTIFY_CONDITIONS.has(item)) return `NOTIFY value "${item}" is not SUCCESS, FAILURE, DELAY or NEVER`;
    if (conditions.includes(item as NotifyCondition)) return `NOTIFY lists ${item} twice`;
    conditions.push(item as NotifyCondition);
  }
  return conditions;
}

function parseOrcpt(value: string | true): RcptDsn['orcpt'] | string {
  if (value === true) return 'ORCPT needs a value';
  if (value.length > MAX_ORCPT_LENGTH) return `ORCPT is longer than ${MAX_ORCPT_LENGTH} characters`;
  const semi = value.indexOf(';');
  if (semi <= 0) return 'ORCPT must be addr-type;address';
  const addrType = value.slice(0, semi);
  if (!ADDR_TYPE_RE.test(addrType)) return 'ORCPT address type is not an atom';
  const raw = value.slice(semi + 1);
  if (raw === '') return 'ORCPT address is empty';
  const address = decodeXtext(raw);
  if (address === undefined) return 'ORCPT address is not valid xtext';
  return { addrType, address };
}
