import { NotifyFieldError } from '../errors.js';

const FORMAT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/**
 * Turns Alipay's `yyyy-MM-dd HH:mm:ss[.SSS]` Beijing time (UTC+08:00, no DST since 1991,
 * PROTOCOL §1.6) into a real instant. Milliseconds are kept (`gmt_refund` has them).
 * Throws `ERR_FIELD_INVALID` for anything else, including impossible dates.
 *
 * @example
 * ```ts
 * parseBeijingTime('2015-04-28 15:45:57.320', 'gmt_refund').toISOString(); // '2015-04-28T07:45:57.320Z'
 * ```
 */
export function parseBeijingTime(text: string, field: string): Date {
  const m = FORMAT.exec(text);
  if (m === null) throw new NotifyFieldError(field, 'not a time in yyyy-MM-dd HH:mm:ss form');
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '').padEnd(3, '0'));
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new NotifyFieldError(field, 'not a valid calendar time');
  }
  return new Date(utc - BEIJING_OFFSET_MS);
}
