import { NotifyFieldError } from '../errors/index.js';

type Fields = Readonly<Record<string, string | undefined>>;

/**
 * The alphabets of the fields that decide what a notification is and whose it is. A value outside
 * its alphabet is `ERR_FIELD_INVALID`, never re-read as something else: a folded value such as
 * `trade_status_sync&gmt_refund=…` cannot turn a refund into another kind.
 *
 * Sources: Alipay's field tables (https://opendocs.alipay.com/open/203/105286,
 * https://opendocs.alipay.com/open/270/105902): ids issued by Alipay are letters and digits
 * (`notify_id` included); merchants' order and request numbers are "字母、数字、下划线" in at
 * most 64 characters, and real ones also carry `-` and `.`, so any visible ASCII but `&` and `=`
 * is allowed there.
 */
export const TOKEN = Object.freeze({
  /** `notify_id`, `trade_no`, `app_id`, `seller_id`, `buyer_id`. */
  alipayId: /^[A-Za-z0-9]{1,128}$/,
  /** `notify_type`: `trade_status_sync`, `batch_refund_notify`, … */
  notifyType: /^[a-z][a-z0-9_]{0,63}$/,
  /** `msg_method`: `alipay.trade.refund.depositback.completed`, … */
  msgMethod: /^[A-Za-z][A-Za-z0-9_.]{0,127}$/,
  /** `trade_status`: `TRADE_SUCCESS`, … */
  tradeStatus: /^[A-Z][A-Z_]{0,63}$/,
  /** `out_trade_no`, `out_biz_no`, `out_request_no`, `batch_no`. */
  merchantId: /^[\x21-\x25\x27-\x3c\x3e-\x7e]{1,64}$/,
});

/**
 * A required field that must match `alphabet`; absent, empty or outside it is `ERR_FIELD_INVALID`.
 *
 * @example
 * ```ts
 * requiredToken(fields, 'notify_id', TOKEN.alipayId);
 * ```
 */
export function requiredToken(fields: Fields, name: string, alphabet: RegExp): string {
  const v = fields[name];
  if (v === undefined || v === '') throw new NotifyFieldError(name, 'required field is missing');
  if (!alphabet.test(v)) throw new NotifyFieldError(name, 'not a plain token of its documented alphabet');
  return v;
}

/**
 * An optional field that must match `alphabet` when present; empty counts as absent.
 *
 * @example
 * ```ts
 * optionalToken(fields, 'seller_id', TOKEN.alipayId);
 * ```
 */
export function optionalToken(fields: Fields, name: string, alphabet: RegExp): string | undefined {
  const v = fields[name];
  if (v === undefined || v === '') return undefined;
  if (!alphabet.test(v)) throw new NotifyFieldError(name, 'not a plain token of its documented alphabet');
  return v;
}
