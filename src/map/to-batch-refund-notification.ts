import { NotifyFieldError } from '../errors/index.js';
import type { BatchRefundDetail, BatchRefundNotification, NotificationBase } from '../types.js';
import { parseAmount } from './amount.js';
import { optionalText, requiredText } from './field-readers.js';
import { requiredToken, TOKEN } from './field-tokens.js';

function parseDetail(raw: string): BatchRefundDetail {
  // trade_no^amount^result[$account^account_id^fee^result] (Alipay's `refund_fastpay_by_platform_pwd` notification). Royalty parts after
  // `|` were never sampled; they stay in `raw`.
  const parts = raw.split('|', 1)[0]!.split('$');
  if (parts.length > 2) throw new NotifyFieldError('result_details', 'entry has more than one fee part');
  const [main = '', feePart] = parts;
  const t = main.split('^');
  if (t.length !== 3 || t[0] === '')
    throw new NotifyFieldError('result_details', 'entry is not trade_no^amount^result');
  const detail: {
    tradeNo: string;
    amount: ReturnType<typeof parseAmount>;
    result: string;
    raw: string;
    fee?: BatchRefundDetail['fee'];
  } = {
    tradeNo: t[0]!,
    amount: parseAmount(t[1]!, 'result_details'),
    result: t[2]!,
    raw,
  };
  if (feePart !== undefined) {
    const p = feePart.split('^');
    if (p.length !== 4)
      throw new NotifyFieldError('result_details', 'fee part is not account^account_id^amount^result');
    detail.fee = { account: p[0]!, accountId: p[1]!, amount: parseAmount(p[2]!, 'result_details'), result: p[3]! };
  }
  return detail;
}

/**
 * Maps a verified legacy `batch_refund_notify`; `result_details` holds one entry per trade,
 * separated by `#`.
 */
export function toBatchRefundNotification(base: NotificationBase): BatchRefundNotification {
  const f = base.fields;
  const successNum = requiredText(f, 'success_num');
  if (!/^\d{1,6}$/.test(successNum)) throw new NotifyFieldError('success_num', 'not a count');
  const details = optionalText(f, 'result_details');
  return {
    kind: 'batch_refund',
    ...base,
    batchNo: requiredToken(f, 'batch_no', TOKEN.merchantId),
    successNum: Number(successNum),
    details: details === undefined ? [] : details.split('#').map(parseDetail),
  };
}
