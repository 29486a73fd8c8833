import { scanNotifyBody, type NotifyBody } from '../body/parse-notify-body.js';
import type { ScannedBody } from '../body/scanned-body.js';
import { findSecondReading } from '../canonical/find-second-reading.js';
import { NotARefundError, NotifySignatureError } from '../errors/index.js';
import { toNotification } from '../map/to-notification.js';
import type { AlipayNotification, RefundNotification } from '../types.js';
import { checkFreshness } from './check-freshness.js';
import { checkRecipient } from './check-recipient.js';
import { certRotationFor } from './cert-rotation.js';
import { checkSignature, checkSignatureAsync, type SignatureMatch } from './check-signature.js';
import { signedView } from './signed-view.js';
import { resolveOptions, type NotifyVerifierOptions, type ResolvedOptions } from './resolve-options.js';

/** A verifier with its keys imported once. */
export interface NotifyVerifier {
  /** Verifies any notification; throws an `AlipayNotifyError` when it does not verify. */
  verify(body: NotifyBody): AlipayNotification;
  /** Verifies a refund notification; a verified non-refund is `ERR_NOT_A_REFUND`. */
  verifyRefund(body: NotifyBody): RefundNotification;
  /**
   * {@link NotifyVerifier.verify} with the RSA operation on libuv's thread pool, for servers with
   * spare cores; the result and the errors are the same.
   */
  verifyAsync(body: NotifyBody): Promise<AlipayNotification>;
  /** {@link NotifyVerifier.verifyRefund}, with the RSA operation on libuv's thread pool. */
  verifyRefundAsync(body: NotifyBody): Promise<RefundNotification>;
}

/** Whether a verified notification reports a refund. */
export function isRefundNotification(n: AlipayNotification): n is RefundNotification {
  return n.kind === 'trade_refund' || n.kind === 'refund_depositback' || n.kind === 'batch_refund';
}

/**
 * Creates a verifier that imports the keys once and checks every notification with them.
 * Configuration problems are `ERR_CONFIG`, raised here rather than per notification.
 *
 * @example
 * ```ts
 * import { createNotifyVerifier } from 'alipay-refund-notify';
 * const verifier = createNotifyVerifier({ alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: '2021000000000000' });
 * const refund = verifier.verifyRefund(rawBody); // Buffer of the POST body
 * ```
 */
export function createNotifyVerifier(options: NotifyVerifierOptions): NotifyVerifier {
  // Only the public methods: `verifyParsed` stays inside the library.
  const verifier = verifierFor(resolveOptions(options));
  return {
    verify: (body) => verifier.verify(body),
    verifyRefund: (body) => verifier.verifyRefund(body),
    verifyAsync: (body) => verifier.verifyAsync(body),
    verifyRefundAsync: (body) => verifier.verifyRefundAsync(body),
  };
}

/** A verifier, plus the step the diagnosis needs: verifying a body it has already parsed. */
export interface ResolvedNotifyVerifier extends NotifyVerifier {
  verifyParsed(parsed: ScannedBody): AlipayNotification;
}

/**
 * The verifier for options already resolved: the adapters and the diagnosis resolve options once
 * and build their verifier from that one object (no second import of keys or certificates).
 *
 * @example
 * ```ts
 * const resolved = resolveOptions(options);
 * const verifier = verifierFor(resolved);
 * ```
 */
export function verifierFor(resolved: ResolvedOptions): ResolvedNotifyVerifier {
  const rotation = certRotationFor(resolved);
  const parse = (body: NotifyBody): ScannedBody => scanNotifyBody(body, { maxBodyBytes: resolved.maxBodyBytes });
  const finish = (parsed: ScannedBody, match: SignatureMatch): AlipayNotification => {
    // Only a decoded `&` can start a second reading; a body without one skips the search.
    const reading = parsed.hasAmpersand ? findSecondReading(parsed, match.rule) : undefined;
    if (reading !== undefined) {
      throw new NotifySignatureError(
        'ERR_SIGNATURE_AMBIGUOUS',
        'the signed content has a second reading (a value holds what reads as further fields)',
        {
          signType: match.signType,
          field: reading.field,
        },
      );
    }
    const signed = signedView(parsed, match.rule);
    checkRecipient(signed, resolved, match.signType);
    const n = toNotification(signed, match.signType);
    if (resolved.maxNotifyAgeMs !== undefined) checkFreshness(n, resolved.maxNotifyAgeMs, resolved.now());
    return n;
  };
  const refundOnly = (n: AlipayNotification): RefundNotification => {
    if (!isRefundNotification(n)) throw new NotARefundError(n.kind, n);
    return n;
  };
  const verifyParsed = (parsed: ScannedBody): AlipayNotification => {
    const current = rotation === undefined ? resolved : rotation.optionsFor(parsed);
    return finish(parsed, checkSignature(parsed, current));
  };
  const verify = (body: NotifyBody): AlipayNotification => verifyParsed(parse(body));
  const verifyAsync = async (body: NotifyBody): Promise<AlipayNotification> => {
    const parsed = parse(body);
    const current = rotation === undefined ? resolved : await rotation.optionsForAsync(parsed);
    return finish(parsed, await checkSignatureAsync(parsed, current));
  };
  return {
    verify,
    verifyParsed,
    verifyRefund: (body) => refundOnly(verify(body)),
    verifyAsync,
    verifyRefundAsync: async (body) => refundOnly(await verifyAsync(body)),
  };
}
