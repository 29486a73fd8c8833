import type { NotifyBody } from '../body/parse-notify-body.js';
import type { AlipayNotification, RefundNotification } from '../types.js';
import { createNotifyVerifier, type NotifyVerifier } from './create-notify-verifier.js';
import type { NotifyVerifierOptions } from './resolve-options.js';

// The one-call functions keep a few verifiers keyed on the options' content, so that options built
// inline on every call (a new object each time) do not rebuild a verifier, and a changed option
// (`opts.appId = …` after the first call) builds a new one instead of silently keeping the old.
// Strings, numbers and booleans are keyed by value; keys given as objects (KeyObject, Buffer) and
// functions (`now`, `downloadAlipayCert`) by identity. Rebuilding costs about as much as a
// verification; computing the key, a microsecond.
const CACHE_SIZE = 16;
const verifiers = new Map<string, NotifyVerifier>();
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(value, id);
  }
  return id;
}

function keyPart(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return `${typeof value}:${String(value)}`;
    default:
      if (Array.isArray(value)) return `[${value.map(keyPart).join(',')}]`;
      return typeof value === 'object' || typeof value === 'function'
        ? value === null
          ? 'null'
          : `#${identityOf(value)}`
        : '?';
  }
}

function contentKey(options: NotifyVerifierOptions): string {
  let key = '';
  for (const name of Object.keys(options).sort())
    key += `${name}=${keyPart((options as Record<string, unknown>)[name])};`;
  return key;
}

function verifierFor(options: NotifyVerifierOptions): NotifyVerifier {
  if (typeof options !== 'object' || options === null) return createNotifyVerifier(options);
  const key = contentKey(options);
  let verifier = verifiers.get(key);
  if (verifier === undefined) {
    verifier = createNotifyVerifier(options);
    if (verifiers.size >= CACHE_SIZE) verifiers.delete(verifiers.keys().next().value!);
    verifiers.set(key, verifier);
  }
  return verifier;
}

/**
 * Verifies any Alipay notification from its raw body and returns it typed, discriminated by
 * `kind`. Throws an `AlipayNotifyError` with a stable `code` when it does not verify.
 *
 * Keys are imported once and the verifier reused for options with the same content, whether the
 * same object or one built inline per call (a change to any option is noticed on the next call);
 * {@link createNotifyVerifier} is the explicit reusable form.
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
