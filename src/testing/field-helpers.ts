import { randomBytes } from 'node:crypto';

/** Fields to add or replace in a built notification (an `undefined` value removes the field). */
export type FieldOverrides = Readonly<Record<string, string | undefined>>;

/** `date` as Alipay writes times: Beijing `yyyy-MM-dd HH:mm:ss`, with `.SSS` when `ms`. */
export function beijing(date: Date, ms = false): string {
  const t = new Date(date.getTime() + 8 * 3600 * 1000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, ms ? 23 : 19)}`;
}

/** `n` random decimal digits, for ids that look like Alipay's. */
export function digits(n: number): string {
  let s = '';
  for (const b of randomBytes(n)) s += String(b % 10);
  return s;
}

/** Applies `overrides` to `fields` in place and returns them. */
export function finish(fields: Record<string, string>, overrides: FieldOverrides | undefined): Record<string, string> {
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined) delete fields[k];
    else fields[k] = v;
  }
  return fields;
}
