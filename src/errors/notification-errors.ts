/** Why a notification was refused: its body, its signature, its recipient, its fields, its age. */
import type { NonRefundNotification } from '../types.js';
import { AlipayNotifyError } from './alipay-notify-error.js';

/**
 * The body could not be read as an Alipay form notification: malformed, too large, or in a
 * charset we do not support.
 *
 * @example
 * ```ts
 * if (err instanceof NotifyBodyError && err.code === 'ERR_BODY_TOO_LARGE') console.log(err.limit);
 * ```
 */
export class NotifyBodyError extends AlipayNotifyError {
  declare readonly code: 'ERR_BODY_MALFORMED' | 'ERR_BODY_TOO_LARGE' | 'ERR_CHARSET_UNSUPPORTED';
  /** Name of the offending field, when one is to blame. */
  readonly field?: string;
  /** The byte limit that was exceeded (`ERR_BODY_TOO_LARGE` only). */
  readonly limit?: number;
  /** The charset the notification declared (`ERR_CHARSET_UNSUPPORTED` only). */
  readonly charset?: string;

  constructor(
    code: 'ERR_BODY_MALFORMED' | 'ERR_BODY_TOO_LARGE' | 'ERR_CHARSET_UNSUPPORTED',
    message: string,
    context: { field?: string; limit?: number; charset?: string; cause?: unknown } = {},
  ) {
    super(code, message, 'cause' in context ? { cause: context.cause } : undefined);
    if (context.field !== undefined) this.field = context.field;
    if (context.limit !== undefined) this.limit = context.limit;
    if (context.charset !== undefined) this.charset = context.charset;
  }
}

/**
 * The signature is missing, of a type that is not allowed, or does not verify against any
 * configured Alipay key. Use `diagnoseNotify()` to learn why; this error deliberately says little.
 *
 * @example
 * ```ts
 * if (err instanceof NotifySignatureError) console.log(err.code, err.signType);
 * ```
 */
export class NotifySignatureError extends AlipayNotifyError {
  declare readonly code:
    | 'ERR_SIGNATURE_MISSING'
    | 'ERR_SIGN_TYPE_UNSUPPORTED'
    | 'ERR_SIGNATURE_INVALID'
    | 'ERR_SIGNATURE_AMBIGUOUS'
    | 'ERR_CERT_NOT_FOUND'
    | 'ERR_CERT_INVALID';
  /** The `sign_type` the notification declared, if any. */
  readonly signType?: string;
  /** `ERR_SIGNATURE_AMBIGUOUS`: the signed field whose value could be cut into further fields. */
  readonly field?: string;

  constructor(
    code:
      | 'ERR_SIGNATURE_MISSING'
      | 'ERR_SIGN_TYPE_UNSUPPORTED'
      | 'ERR_SIGNATURE_INVALID'
      | 'ERR_SIGNATURE_AMBIGUOUS'
      | 'ERR_CERT_NOT_FOUND'
      | 'ERR_CERT_INVALID',
    message: string,
    context: { signType?: string; field?: string } = {},
  ) {
    super(code, message);
    if (context.signType !== undefined) this.signType = context.signType;
    if (context.field !== undefined) this.field = context.field;
  }
}

/**
 * A correctly signed notification that is not addressed to this merchant (`app_id` or
 * `seller_id` differs from the configured ones).
 *
 * @example
 * ```ts
 * if (err instanceof NotifyRecipientError) console.log(err.field, err.received);
 * ```
 */
export class NotifyRecipientError extends AlipayNotifyError {
  declare readonly code: 'ERR_APP_ID_MISMATCH' | 'ERR_SELLER_ID_MISMATCH';
  /** `app_id`, `seller_id` or `partner`. */
  readonly field: string;
  /** The value the notification carried (undefined when it carried none). */
  readonly received: string | undefined;

  constructor(
    code: 'ERR_APP_ID_MISMATCH' | 'ERR_SELLER_ID_MISMATCH',
    message: string,
    field: string,
    received: string | undefined,
  ) {
    super(code, message);
    this.field = field;
    this.received = received;
  }
}

/**
 * A verified notification that is not a refund, raised by `verifyRefundNotify`.
 * The verified notification is attached, so that a payment notification is not lost.
 *
 * @example
 * ```ts
 * if (err instanceof NotARefundError) handlePayment(err.notification);
 * ```
 */
export class NotARefundError extends AlipayNotifyError {
  declare readonly code: 'ERR_NOT_A_REFUND';
  /** The verified notification that turned out not to be a refund. */
  readonly notification: NonRefundNotification;

  constructor(kind: string, notification: NonRefundNotification) {
    super('ERR_NOT_A_REFUND', `verified notification is not a refund (kind: ${kind})`);
    this.notification = notification;
  }
}

/**
 * A verified notification whose field could not be turned into its typed form
 * (an amount that is not a decimal, a time that is not Beijing `yyyy-MM-dd HH:mm:ss`, …).
 *
 * @example
 * ```ts
 * if (err instanceof NotifyFieldError) console.log(err.field);
 * ```
 */
export class NotifyFieldError extends AlipayNotifyError {
  declare readonly code: 'ERR_FIELD_INVALID';
  /** The field at fault. */
  readonly field: string;

  constructor(field: string, message = 'field is missing or not in the expected format') {
    super('ERR_FIELD_INVALID', `${field}: ${message}`);
    this.field = field;
  }
}

/**
 * A verified notification outside the freshness window: sent longer ago than `maxNotifyAgeMs`
 * (Alipay's last retry comes about 24 h 22 min after the first delivery), or stamped more than
 * five minutes in the future. A replayed old notification is refused by its age, so
 * that it cannot run a handler again once its duplicate mark has expired.
 *
 * @example
 * ```ts
 * if (err instanceof NotifyExpiredError) console.log(err.notifyTime, err.ageMs);
 * ```
 */
export class NotifyExpiredError extends AlipayNotifyError {
  declare readonly code: 'ERR_NOTIFY_EXPIRED';
  /** When the notification says it was sent. */
  readonly notifyTime: Date;
  /** How old it was when checked, in milliseconds (negative: from the future). */
  readonly ageMs: number;
  /** The configured `maxNotifyAgeMs`. */
  readonly maxAgeMs: number;

  constructor(notifyTime: Date, ageMs: number, maxAgeMs: number) {
    super(
      'ERR_NOTIFY_EXPIRED',
      ageMs < 0 ? 'notification is dated in the future' : 'notification is older than maxNotifyAgeMs',
    );
    this.notifyTime = notifyTime;
    this.ageMs = ageMs;
    this.maxAgeMs = maxAgeMs;
  }
}
