import type { Amount } from '../map/amount.js';
import type { AlipayNotification } from '../types.js';

/**
 * The typed notification as plain JSON: dates as ISO strings, amounts as `{ fen, yuan }`.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(notificationToJson(n), null, 2));
 * ```
 */
export function notificationToJson(n: AlipayNotification): unknown {
  return JSON.parse(JSON.stringify(n, (_key, value: unknown) => (value instanceof Date ? value.toISOString() : value))) as unknown;
}

const yuan = (a: Amount | undefined): string => (a === undefined ? '—' : `${a.yuan} yuan (${a.fen} fen)`);
const time = (d: Date | undefined): string => (d === undefined ? '—' : d.toISOString());

/**
 * A few readable lines about a verified notification: what kind, which order, how much.
 *
 * @example
 * ```ts
 * for (const line of describeNotification(n)) console.log(line);
 * ```
 */
export function describeNotification(n: AlipayNotification): string[] {
  const head = `verified ${n.kind} · ${n.signType} · charset ${n.charset} · notify_id ${n.notifyId}`;
  switch (n.kind) {
    case 'trade_refund':
      return [
        `${head}`,
        `  ${n.refundType} refund of ${n.outTradeNo} (trade_no ${n.tradeNo}), out_biz_no ${n.outBizNo ?? '—'}, trade_status ${n.tradeStatus}`,
        `  refund_fee (cumulative) ${yuan(n.refundFee)} of total ${yuan(n.totalAmount)}`,
        `  gmt_refund ${time(n.gmtRefund)}, app_id ${n.appId ?? '—'}`,
      ];
    case 'trade':
      return [head, `  ${n.tradeStatus} for ${n.outTradeNo} (trade_no ${n.tradeNo}), total ${yuan(n.totalAmount)}, app_id ${n.appId ?? '—'}`];
    case 'refund_depositback':
      return [
        head,
        `  deposit-back ${n.dbackStatus === 'S' ? 'reached the bank card' : 'failed: money went to the Alipay balance'} for ${n.outTradeNo} / ${n.outRequestNo}`,
        `  dback_amount ${yuan(n.dbackAmount)}, bank_ack_time ${time(n.bankAckTime)}`,
      ];
    case 'batch_refund':
      return [
        head,
        `  batch ${n.batchNo}: ${n.successNum} succeeded`,
        ...n.details.map((d) => `  · ${d.tradeNo} ${d.amount.yuan} ${d.result}${d.fee === undefined ? '' : ` (fee ${d.fee.amount.yuan} ${d.fee.result})`}`),
      ];
    case 'gateway_message':
      return [head, `  method ${n.method}`];
    case 'other':
      return [head, `  notify_type ${n.notifyType}${n.method === undefined ? '' : `, method ${n.method}`}`];
  }
}
