import { beijing, digits, finish } from './field-helpers.js';

/** Options shared by the notification builders. */
export interface BuildNotificationOptions {
  /** Your app id; default `'2021000000000000'`. */
  appId?: string;
  /** Charset label to declare; default `'utf-8'`. */
  charset?: string;
  /** When "now" is, for `notify_time` and friends. Default: the current time. */
  now?: Date;
  /** Fields to add or replace (an `undefined` value removes the field). */
  overrides?: Readonly<Record<string, string | undefined>>;
}

function tradeFields(o: BuildNotificationOptions, total: string): Record<string, string> {
  const now = o.now ?? new Date();
  const paid = new Date(now.getTime() - 3600_000);
  return {
    gmt_create: beijing(new Date(paid.getTime() - 5000)),
    charset: o.charset ?? 'utf-8',
    seller_email: 'merchant@example.com',
    subject: '测试商品-iPhone 15 Pro 256G 黑色钛金属 (官方旗舰店)',
    buyer_id: `2088${digits(12)}`,
    invoice_amount: total,
    notify_id: `${beijing(now).replace(/\D/g, '').slice(0, 8)}00222${digits(20)}`,
    fund_bill_list: `[{"amount":"${total}","fundChannel":"ALIPAYACCOUNT"}]`,
    notify_type: 'trade_status_sync',
    trade_status: 'TRADE_SUCCESS',
    receipt_amount: total,
    app_id: o.appId ?? '2021000000000000',
    buyer_pay_amount: total,
    seller_id: '2088000000000000',
    gmt_payment: beijing(paid),
    notify_time: beijing(now),
    version: '1.0',
    out_trade_no: `ORDER${digits(12)}`,
    total_amount: total,
    trade_no: `${beijing(paid).replace(/\D/g, '').slice(0, 8)}22001${digits(15)}`,
    auth_app_id: o.appId ?? '2021000000000000',
    buyer_logon_id: 'tes***@example.com',
    point_amount: '0.00',
  };
}

/**
 * Builds the fields of a realistic payment `trade_status_sync` notification (unsigned; pass them
 * to `signNotification`).
 *
 * @example
 * ```ts
 * const fields = buildPaymentFields({ overrides: { total_amount: '88.00' } });
 * ```
 */
export function buildPaymentFields(options: BuildNotificationOptions = {}): Record<string, string> {
  return finish(tradeFields(options, '100.00'), options.overrides);
}

/**
 * Builds the fields of a realistic refund notification: a partial refund stays `TRADE_SUCCESS`,
 * a full one is `TRADE_CLOSED` with `gmt_close`; `refund_fee` is the cumulative refunded total
 * (https://opendocs.alipay.com/open/203/105286).
 *
 * @example
 * ```ts
 * const fields = buildRefundFields('partial', { overrides: { refund_fee: '10.00' } });
 * ```
 */
export function buildRefundFields(
  type: 'partial' | 'full',
  options: BuildNotificationOptions = {},
): Record<string, string> {
  const now = options.now ?? new Date();
  const fields = tradeFields(options, '100.00');
  fields['refund_fee'] = type === 'full' ? '100.00' : '30.00';
  fields['gmt_refund'] = beijing(new Date(now.getTime() - 1000), true);
  fields['out_biz_no'] = `REFUND${digits(10)}`;
  if (type === 'full') {
    fields['trade_status'] = 'TRADE_CLOSED';
    fields['gmt_close'] = beijing(new Date(now.getTime() - 1000));
  }
  return finish(fields, options.overrides);
}
