import { NotifyFieldError } from '../errors/index.js';
import type { Amount } from '../types.js';

export type { Amount } from '../types.js';

// Number(9,2) in Alipay's tables: digits, optionally a point and one or two decimals (https://opendocs.alipay.com/open/203/105286).
const DECIMAL = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan decimal string into an {@link Amount} without floating point.
 * Throws `ERR_FIELD_INVALID` naming `field` when the text is not a plain decimal.
 *
 * @example
 * ```ts
 * parseAmount('0.10', 'refund_fee'); // { fen: 10, yuan: '0.10' }
 * ```
 */
export function parseAmount(text: string, field: string): Amount {
  const m = DECIMAL.exec(text);
  if (m === null) throw new NotifyFieldError(field, 'not a decimal amount in yuan');
  const fraction = (m[2] ?? '').padEnd(2, '0');
  return { fen: Number(m[1]) * 100 + Number(fraction), yuan: text };
}
