import type { NotifyBody } from '../body/parse-notify-body.js';
import type { AlipayNotification, RefundNotification } from '../types.js';
import { createNotifyVerifier, type NotifyVerifier } from './create-notify-verifier.js';
import type { NotifyVerifierOptions } from './resolve-options.js';

// One verifier per options object, so that calling verifyNotify with the same options does not
// re-import keys (options built inline per call still hit the key cache in resolveOptions). The
// cache keeps a shallow snapshot of the options it was built from and rebuilds when any option —
// or an element of an array option — has changed since, so that mutating `opts.appId` after the
// first call takes effect instead of silently keeping the old verifier.
interface Cached {
  readonly snapshot: ReadonlyMap<string, unknown>;
  readonly verifier: NotifyVerifier;
}
const verifiers = new WeakMap<NotifyVerifierOptions, Cached>();

function snapshotOf(options: NotifyVerifierOptions): Map<string, unknown> {
  const snapshot = new Map<string, unknown>();
  for (const [key, value] of Object.entries(options)) snapshot.set(key, Array.isArray(value) ? [...(value as unknown[])] : value);
  return snapshot;
}

function unchanged(snapshot: ReadonlyMap<string, unknown>, options: NotifyVerifierOptions): boolean {
  const entries = Object.entries(options);
  if (entries.length !== snapshot.size) return false;
  for (const [key, value] of entries) {
    const was = snapshot.get(key);
    if (Array.isArray(value)) {
      if (!Array.isArray(was) || was.length !== value.length || value.some((v, i) => v !== was[i])) return false;
    } else if (was !== value || !snapshot.has(key)) return false;
  }
  return true;
}

function verifierFor(options: NotifyVerifierOptions): NotifyVerifier {
  if (typeof options !== 'object' || options === null) return createNotifyVerifier(options);
  const hit = verifiers.get(options);
  if (hit !== undefined && unchanged(hit.snapshot, options)) return hit.verifier;
  const verifier = createNotifyVerifier(options);
  verifiers.set(options, { snapshot: snapshotOf(options), verifier });
  return verifier;
}

/**
 * Verifies any Alipay notification from its raw body and returns it typed, discriminated by
 * `kind`. Throws an `AlipayNotifyError` with a stable `code` when it does not verify.
 *
 * Keys are imported once per options object and reused while its options stay the same (a change
 * to any option is noticed on the next call); {@link createNotifyVerifier} is the explicit
 * reusable form.
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
