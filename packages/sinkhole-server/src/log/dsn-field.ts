import type { MailDsn, RcptDsn } from '@sinkhole/smtp-core';
import { quote } from './json-line.js';

/**
 * The DSN requests (RFC 3461) of a transaction as logged: RET and ENVID of MAIL FROM, and
 * NOTIFY and ORCPT of each recipient, index for index with the line's `rcptTo`. ENVID and
 * ORCPT are xtext-decoded; NOTIFY is its list as sent (`SUCCESS,FAILURE`) or `NEVER`.
 */
export interface LoggedDsn {
  readonly ret: string | null;
  readonly envid: string | null;
  readonly notify: readonly (string | null)[];
  readonly orcpt: readonly (string | null)[];
}

export function notifyText(dsn: RcptDsn | undefined): string | null {
  const notify = dsn?.notify;
  if (notify === undefined) return null;
  return notify === 'NEVER' ? notify : notify.join(',');
}

export function orcptText(dsn: RcptDsn | undefined): string | null {
  const orcpt = dsn?.orcpt;
  return orcpt === undefined ? null : `${orcpt.addrType};${orcpt.address}`;
}

/** The logged form, or undefined when the transaction asked nothing of DSN. */
export function loggedDsn(mail: MailDsn | undefined, rcpts: readonly (RcptDsn | undefined)[]): LoggedDsn | undefined {
  if (mail === undefined && rcpts.every((r) => r === undefined)) return undefined;
  return {
    ret: mail?.ret ?? null,
    envid: mail?.envid ?? null,
    notify: rcpts.map(notifyText),
    orcpt: rcpts.map(orcptText),
  };
}

function list(items: readonly (string | null)[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string | null;
    out += `${i === 0 ? '' : ','}${item === null ? 'null' : quote(item)}`;
  }
  return `[${out}]`;
}

/** `,"dsn":{...}` as JSON.stringify writes it, or '' when there is none. */
export function dsnField(dsn: LoggedDsn | undefined): string {
  if (dsn === undefined) return '';
  const text = (s: string | null): string => (s === null ? 'null' : quote(s));
  return `,"dsn":{"ret":${text(dsn.ret)},"envid":${text(dsn.envid)},"notify":${list(dsn.notify)},"orcpt":${list(dsn.orcpt)}}`;
}
