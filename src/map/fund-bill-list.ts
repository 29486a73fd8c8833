import { NotifyFieldError } from '../errors/index.js';
import type { Amount, FundBill } from '../types.js';
import { parseAmount } from './amount.js';

export type { FundBill } from '../types.js';

/**
 * Parses the `fund_bill_list` JSON string. The string itself stays in `fields` exactly as signed;
 * this is a read-only view of it.
 *
 * @example
 * ```ts
 * parseFundBillList('[{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"}]');
 * ```
 */
export function parseFundBillList(text: string, field = 'fund_bill_list'): FundBill[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new NotifyFieldError(field, 'not valid JSON');
  }
  if (!Array.isArray(data)) throw new NotifyFieldError(field, 'not a JSON array');
  return data.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new NotifyFieldError(field, 'entry is not an object');
    const e = entry as Record<string, unknown>;
    const channel = e['fundChannel'] ?? e['fund_channel'];
    const amount = e['amount'];
    if (typeof channel !== 'string' || typeof amount !== 'string')
      throw new NotifyFieldError(field, 'entry lacks fundChannel or amount');
    const bill: { fundChannel: string; amount: Amount; realAmount?: Amount; raw: Record<string, unknown> } = {
      fundChannel: channel,
      amount: parseAmount(amount, field),
      raw: e,
    };
    if (typeof e['realAmount'] === 'string') bill.realAmount = parseAmount(e['realAmount'], field);
    return bill;
  });
}
