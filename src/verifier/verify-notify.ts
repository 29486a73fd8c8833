import type { NotifyBody } from '../body/parse-notify-body.js';
import type { AlipayNotification, RefundNotification } from '../types.js';
import { createNotifyVerifier, type NotifyVerifier } from './create-notify-verifier.js';
import type { NotifyVerifierOptions } from './resolve-options.js';

// One verifier per options object, so that calling verifyNotify with the same options does not
// re-import keys; options built inline per call still hit the key cache in resolveOptions.
const verifiers = new WeakMap<NotifyVerifierOptions, NotifyVerifier>();

function verifierFor(options: NotifyVerifierOptions): NotifyVerifier {
  let v = typeof options === 'object' && options !== null ? verifiers.get(options) : undefined;
  if (v === undefined) {
    v = createNotifyVerifier(options);
    verifiers.set(options, v);
  }
  return v;
}

/**
 * Verifies any Alipay notification from its raw body and returns it typed, discriminated by
 * `kind`. Throws an `AlipayNotifyError` with a stable `code` when it does not verify.
 *
 * @example
 * ```ts
 * import { verifyNotify } from 'alipay-refund-notify';
 * const n = verifyNotify(rawBody, { alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: '2021000000000000' });
 * if (n.kind === 'trade_refund') console.log(n.refundFee?.yuan);
 * ```
 */
export function verifyNotify(body: NotifyBody, options: NotifyVerifierOptions): AlipayNotification {
  return verifierFor(options).verify(body);
}

/**
 * Verifies a refund notification from its raw body. A valid notification that is not a refund
 * is `ERR_NOT_A_REFUND` (the error carries it, so that a payment notification is not lost).
 *
 * @example
 * ```ts
 * import { verifyRefundNotify } from 'alipay-refund-notify';
 * const refund = verifyRefundNotify(rawBody, { alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: '2021000000000000' });
 * console.log(refund.kind, refund.notifyId);
 * ```
 */
export function verifyRefundNotify(body: NotifyBody, options: NotifyVerifierOptions): RefundNotification {
  return verifierFor(options).verifyRefund(body);
}
