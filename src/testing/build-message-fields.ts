import { randomBytes } from 'node:crypto';
import { beijing, digits, finish } from './field-helpers.js';
import type { BuildNotificationOptions } from './build-notification-fields.js';

/**
 * Builds the fields of a message-service message (`msg_method`, version 1.1):
 * `biz_content` is `JSON.stringify(bizContent)`, the exact string that gets signed. Unsigned; pass
 * the result to `signNotification`.
 *
 * @example
 * ```ts
 * const fields = buildGatewayMessageFields('alipay.fund.trans.order.changed', { status: 'SUCCESS' });
 * ```
 */
export function buildGatewayMessageFields(
  method: string,
  bizContent: unknown,
  options: BuildNotificationOptions = {},
): Record<string, string> {
  const now = options.now ?? new Date();
  return finish(
    {
      charset: options.charset ?? 'utf-8',
      biz_content: JSON.stringify(bizContent),
      msg_method: method,
      utc_timestamp: String(now.getTime()),
      version: '1.1',
      notify_id: `${randomBytes(16).toString('hex')}${digits(2)}`,
      app_id: options.appId ?? '2021000000000000',
    },
    options.overrides,
  );
}

/** Options of {@link buildDepositbackFields}. */
export interface BuildDepositbackOptions extends BuildNotificationOptions {
  /** `biz_content` fields to add or replace (an `undefined` value removes the field). */
  bizContent?: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the fields of an `alipay.trade.refund.depositback.completed` message from
 * the documentation's example values: `S` carries `dback_amount`, `F` does not. No signed
 * deposit-back message has ever been published; this is the closest honest stand-in.
 *
 * @example
 * ```ts
 * const { body } = signNotification(buildDepositbackFields('S'), { privateKey: alipay.privateKey });
 * ```
 */
export function buildDepositbackFields(
  status: 'S' | 'F',
  options: BuildDepositbackOptions = {},
): Record<string, string> {
  const biz: Record<string, string | undefined> = {
    trade_no: '2014112611001004680073956707',
    out_trade_no: '20150320010101001',
    out_request_no: 'HZ01RF001',
    dback_status: status,
    dback_amount: status === 'S' ? '1.01' : undefined,
    bank_ack_time: '2020-06-02 14:03:48',
    est_bank_receipt_time: '2020-06-02 14:03:48',
    ...options.bizContent,
  };
  return buildGatewayMessageFields('alipay.trade.refund.depositback.completed', biz, options);
}

/** Options of {@link buildBatchRefundFields}. */
export interface BuildBatchRefundOptions extends Omit<BuildNotificationOptions, 'appId' | 'charset'> {
  /**
   * `result_details` (`trade_no^amount^result[$account^id^fee^result]`, `#` between trades).
   * Default: one trade of 0.10 refunded successfully, as in the real vectors.
   */
  resultDetails?: string;
}

/**
 * Builds the fields of a legacy MAPI `batch_refund_notify`; `success_num` counts
 * the `SUCCESS` entries of `result_details`. MAPI notifications carry no `app_id` and no
 * `charset`. Sign it with MD5 (`md5Key`) or the MAPI RSA key.
 *
 * @example
 * ```ts
 * const fields = buildBatchRefundFields({ resultDetails: '2016031721001004670245932381^0.20^SUCCESS' });
 * const { body } = signNotification(fields, { signType: 'MD5', md5Key: 'partner-key' });
 * ```
 */
export function buildBatchRefundFields(options: BuildBatchRefundOptions = {}): Record<string, string> {
  const now = options.now ?? new Date();
  const resultDetails =
    options.resultDetails ?? `${beijing(now).replace(/\D/g, '').slice(0, 8)}21001004${digits(12)}^0.10^SUCCESS`;
  const successNum = resultDetails.split('#').filter((d) => d.split('$')[0]!.split('^')[2] === 'SUCCESS').length;
  return finish(
    {
      notify_time: beijing(now),
      notify_type: 'batch_refund_notify',
      notify_id: `${randomBytes(15).toString('hex')}${digits(4)}`,
      batch_no: `${beijing(now).replace(/\D/g, '').slice(0, 8)}${digits(10)}`,
      success_num: String(successNum),
      result_details: resultDetails,
    },
    options.overrides,
  );
}
