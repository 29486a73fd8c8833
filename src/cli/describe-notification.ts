import type { Amount } from '../map/amount.js';
import type { AlipayNotification } from '../types.js';

/**
 * The typed notification as plain JSON: dates as ISO strings (UTC, for programs), amounts as `{ fen, yuan }`.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(notificationToJson(n), null, 2));
 * ```
 */
export function notificationToJson(n: AlipayNotification): unknown {
  return JSON.parse(
    JSON.stringify(n, (_key, value: unknown) => (value instanceof Date ? value.toISOString() : value)),
  ) as unknown;
}

const yuan = (a: Amount | undefined): string => (a === undefined ? '—' : `${a.yuan} yuan (${a.fen} fen)`);
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/**
 * An instant as Alipay writes it, in Beijing time (UTC+08:00, no daylight saving), with the offset
 * spelled out: `2026-12-03 18:04:05 +08:00`, milliseconds only when there are some. Alipay sends
 * its times in Beijing time (https://opendocs.alipay.com/open/270/105902), so this is the value
 * the notification carried, not a UTC conversion people must undo in their heads.
 *
 * @example
 * ```ts
 * formatBeijingTime(new Date('2026-12-03T10:04:05Z')); // '2026-12-03 18:04:05 +08:00'
 * ```
 */
export function formatBeijingTime(d: Date): string {
  const iso = new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString();
  const ms = iso.slice(19, 23) === '.000' ? '' : iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms} +08:00`;
}

const time = (d: Date | undefined): string => (d === undefined ? '—' : formatBeijingTime(d));

/**
 * A few readable lines about a verified notification: what kind, which order, how much; times in
 * Beijing time. The lines hold the notification's own text: print them with `printLines`, which
 * escapes terminal controls.
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
      return [
        head,
        `  ${n.tradeStatus} for ${n.outTradeNo} (trade_no ${n.tradeNo}), total ${yuan(n.totalAmount)}, app_id ${n.appId ?? '—'}`,
      ];
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
        ...n.details.map(
          (d) =>
            `  · ${d.tradeNo} ${d.amount.yuan} ${d.result}${d.fee === undefined ? '' : ` (fee ${d.fee.amount.yuan} ${d.fee.result})`}`,
        ),
      ];
    case 'gateway_message':
      return [head, `  method ${n.method}`];
    case 'other':
      return [head, `  notify_type ${n.notifyType}${n.method === undefined ? '' : `, method ${n.method}`}`];
  }
}
