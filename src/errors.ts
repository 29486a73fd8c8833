/**
 * Every error this library throws is an {@link AlipayNotifyError} with a stable `code`.
 * Messages are generic on purpose: they never echo key material or the notification's content.
 * Typed context (which field, which limit) is carried on the subclasses.
 */
import type { NonRefundNotification } from './types.js';

/** The stable error codes. They are the contract; messages may change. */
export type AlipayNotifyErrorCode =
  | 'ERR_BODY_MALFORMED'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_CHARSET_UNSUPPORTED'
  | 'ERR_SIGNATURE_MISSING'
  | 'ERR_SIGN_TYPE_UNSUPPORTED'
  | 'ERR_SIGNATURE_INVALID'
  | 'ERR_SIGNATURE_AMBIGUOUS'
  | 'ERR_CERT_NOT_FOUND'
  | 'ERR_CERT_INVALID'
  | 'ERR_APP_ID_MISMATCH'
  | 'ERR_SELLER_ID_MISMATCH'
  | 'ERR_NOT_A_REFUND'
  | 'ERR_FIELD_INVALID'
  | 'ERR_NOTIFY_EXPIRED'
  | 'ERR_CONFIG'
  // Raised by confirmNotifyId (legacy MAPI notify_verify round-trip):
  | 'ERR_NOTIFY_ID_CHECK'
  // Raised by the OpenAPI client (alipay-refund-notify/client):
  | 'ERR_GATEWAY_UNREACHABLE'
  | 'ERR_GATEWAY_TIMEOUT'
  | 'ERR_GATEWAY_ERROR'
  | 'ERR_REFUND_STATUS_UNKNOWN'
  | NotifyAdapterErrorCode;

/** The codes only the HTTP adapters raise (as `NotifyAdapterError`), never the verifier. */
export type NotifyAdapterErrorCode =
  | 'ERR_BODY_ALREADY_PARSED'
  | 'ERR_BODY_ABORTED'
  | 'ERR_BODY_TIMEOUT'
  | 'ERR_HANDLER_FAILED'
  | 'ERR_HANDLER_TIMEOUT'
  | 'ERR_UNHANDLED_NOTIFICATION'
  | 'ERR_DUPLICATE_IN_FLIGHT'
  | 'ERR_DUPLICATE_OVERLAP'
  | 'ERR_STORE_FAILED';

/**
 * Base class of every error thrown by `alipay-refund-notify`.
 *
 * @example
 * ```ts
 * import { verifyRefundNotify, AlipayNotifyError } from 'alipay-refund-notify';
 * try {
 *   verifyRefundNotify(rawBody, options);
 * } catch (err) {
 *   if (err instanceof AlipayNotifyError && err.code === 'ERR_SIGNATURE_INVALID') {
 *     // answer `fail`, log err.code
 *   }
 * }
 * ```
 */
export class AlipayNotifyError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: AlipayNotifyErrorCode;

  constructor(code: AlipayNotifyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * `instanceof` that also works across this package's ESM and CommonJS builds (a dual package can
   * be loaded twice, and then each build has its own classes): an error carrying our brand is an
   * instance of a class when its prototype chain has a class of the same name.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (!isAlipayNotifyError(value)) return false;
    for (let p: unknown = Object.getPrototypeOf(value); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      if ((p as { constructor?: { name?: string } }).constructor?.name === this.name) return true;
    }
    return false;
  }
}

// A registered symbol is the same in every copy of this package loaded in one process.
const BRAND = Symbol.for('alipay-refund-notify.AlipayNotifyError');

/**
 * Whether `value` is an error thrown by this library — by either of its builds (ESM or CommonJS),
 * or by another copy of it in `node_modules`. Prefer it to `instanceof` in code that may see both.
 *
 * @example
 * ```ts
 * import { isAlipayNotifyError } from 'alipay-refund-notify';
 * try { verifyNotify(rawBody, options); }
 * catch (err) { if (isAlipayNotifyError(err)) console.warn(err.code); else throw err; }
 * ```
 */
export function isAlipayNotifyError(value: unknown): value is AlipayNotifyError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true && typeof (value as { code?: unknown }).code === 'string';
}

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
  declare readonly code: 'ERR_SIGNATURE_MISSING' | 'ERR_SIGN_TYPE_UNSUPPORTED' | 'ERR_SIGNATURE_INVALID' | 'ERR_SIGNATURE_AMBIGUOUS' | 'ERR_CERT_NOT_FOUND' | 'ERR_CERT_INVALID';
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

  constructor(code: 'ERR_APP_ID_MISMATCH' | 'ERR_SELLER_ID_MISMATCH', message: string, field: string, received: string | undefined) {
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
 * The options given to a verifier are wrong (unreadable key, no `appId`, …). Raised when the
 * verifier is created, never per notification.
 *
 * @example
 * ```ts
 * try { createNotifyVerifier({ alipayPublicKey: 'oops', appId: '2021…' }); }
 * catch (err) { if (err instanceof NotifyConfigError) console.log(err.option); }
 * ```
 */
export class NotifyConfigError extends AlipayNotifyError {
  declare readonly code: 'ERR_CONFIG';
  /** The option at fault. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super('ERR_CONFIG', `${option}: ${message}`, options);
    this.option = option;
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
    super('ERR_NOTIFY_EXPIRED', ageMs < 0 ? 'notification is dated in the future' : 'notification is older than maxNotifyAgeMs');
    this.notifyTime = notifyTime;
    this.ageMs = ageMs;
    this.maxAgeMs = maxAgeMs;
  }
}

/** What Alipay's gateway said in an error answer (`code`, `msg`, `sub_code`, `sub_msg`). */
export interface AlipayGatewayAnswer {
  /** Alipay's `code`: `10000` success, `20000` service unavailable, `40004` business failure, … */
  readonly alipayCode?: string;
  readonly msg?: string;
  /** Alipay's `sub_code`, e.g. `ACQ.TRADE_NOT_EXIST`. */
  readonly subCode?: string;
  /** Alipay's `sub_msg`, as sent (Alipay's text, kept here, never in the message). */
  readonly subMsg?: string;
}

/**
 * An OpenAPI call (`alipay-refund-notify/client`) got no usable answer: the gateway could not be
 * reached (`ERR_GATEWAY_UNREACHABLE`), did not answer within `timeoutMs` (`ERR_GATEWAY_TIMEOUT`),
 * or answered with an HTTP error, an unreadable body or an Alipay error code (`ERR_GATEWAY_ERROR`,
 * with Alipay's `code` / `sub_code` / `sub_msg` kept on the error). A response whose signature
 * does not verify is a {@link NotifySignatureError} instead.
 *
 * @example
 * ```ts
 * try { await client.queryTrade({ outTradeNo: 'order-1' }); }
 * catch (err) { if (err instanceof AlipayGatewayError) console.log(err.code, err.subCode); }
 * ```
 */
export class AlipayGatewayError extends AlipayNotifyError {
  declare readonly code: 'ERR_GATEWAY_UNREACHABLE' | 'ERR_GATEWAY_TIMEOUT' | 'ERR_GATEWAY_ERROR';
  /** The OpenAPI method called, e.g. `alipay.trade.query`. */
  readonly method: string;
  /** The HTTP status, when an answer arrived. */
  readonly httpStatus?: number;
  readonly alipayCode?: string;
  readonly msg?: string;
  readonly subCode?: string;
  readonly subMsg?: string;

  constructor(
    code: 'ERR_GATEWAY_UNREACHABLE' | 'ERR_GATEWAY_TIMEOUT' | 'ERR_GATEWAY_ERROR',
    message: string,
    context: { method: string; httpStatus?: number } & AlipayGatewayAnswer,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.method = context.method;
    if (context.httpStatus !== undefined) this.httpStatus = context.httpStatus;
    if (context.alipayCode !== undefined) this.alipayCode = context.alipayCode;
    if (context.msg !== undefined) this.msg = context.msg;
    if (context.subCode !== undefined) this.subCode = context.subCode;
    if (context.subMsg !== undefined) this.subMsg = context.subMsg;
  }
}

/**
 * `pollRefund()` asked as many times as it was allowed and Alipay never gave a final answer
 * (every attempt was `unknown` or failed in transit). The refund's fate is not known: ask again
 * later or look in the merchant console; never treat this as "not refunded".
 *
 * @example
 * ```ts
 * try { await pollRefund(client, { outTradeNo, outRequestNo }); }
 * catch (err) { if (err instanceof RefundStatusUnknownError) scheduleLater(outRequestNo, err.attempts); }
 * ```
 */
export class RefundStatusUnknownError extends AlipayNotifyError {
  declare readonly code: 'ERR_REFUND_STATUS_UNKNOWN';
  /** How many queries were made. */
  readonly attempts: number;

  constructor(attempts: number, options?: { cause?: unknown }) {
    super('ERR_REFUND_STATUS_UNKNOWN', `refund status still unknown after ${attempts} queries`, options);
    this.attempts = attempts;
  }
}

/**
 * In certificate mode with `downloadAlipayCert`: the certificate a notification (or a gateway
 * response) names by `alipay_cert_sn` could not be obtained (`ERR_CERT_NOT_FOUND`: the download
 * failed, was refused by the rate limit, or failed a moment ago for the same SN) or was refused
 * (`ERR_CERT_INVALID`: it does not chain up to `alipayRootCert`, is outside its validity period,
 * or is not the certificate asked for). Alipay retries a notification answered `fail`, so a
 * passing failure costs a delay, not a refund.
 *
 * @example
 * ```ts
 * onError: (err) => { if (err instanceof AlipayCertRotationError) log.warn(err.reason, err.sn); }
 * ```
 */
export class AlipayCertRotationError extends NotifySignatureError {
  declare readonly code: 'ERR_CERT_NOT_FOUND' | 'ERR_CERT_INVALID';
  /** The `alipay_cert_sn` asked for. */
  readonly sn: string;
  /** Why it was not used. */
  readonly reason: 'not-an-sn' | 'rate-limited' | 'recently-failed' | 'download-failed' | 'unreadable' | 'sn-mismatch' | 'untrusted' | 'expired';

  constructor(reason: AlipayCertRotationError['reason'], sn: string, options?: { cause?: unknown }) {
    const found = reason === 'unreadable' || reason === 'sn-mismatch' || reason === 'untrusted' || reason === 'expired';
    super(found ? 'ERR_CERT_INVALID' : 'ERR_CERT_NOT_FOUND', found ? `downloaded Alipay certificate refused (${reason})` : `Alipay certificate not available (${reason})`);
    this.sn = sn;
    this.reason = reason;
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
  }
}
