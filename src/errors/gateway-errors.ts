/** Errors of the calls this library makes to Alipay: the OpenAPI client, certificate downloads, notify_verify. */
import { AlipayNotifyError } from './alipay-notify-error.js';
import { NotifySignatureError } from './notification-errors.js';

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
  readonly reason:
    | 'not-an-sn'
    | 'rate-limited'
    | 'recently-failed'
    | 'download-failed'
    | 'unreadable'
    | 'sn-mismatch'
    | 'untrusted'
    | 'expired';

  constructor(reason: AlipayCertRotationError['reason'], sn: string, options?: { cause?: unknown }) {
    const found = reason === 'unreadable' || reason === 'sn-mismatch' || reason === 'untrusted' || reason === 'expired';
    super(
      found ? 'ERR_CERT_INVALID' : 'ERR_CERT_NOT_FOUND',
      found ? `downloaded Alipay certificate refused (${reason})` : `Alipay certificate not available (${reason})`,
    );
    this.sn = sn;
    this.reason = reason;
    if (options?.cause !== undefined)
      Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
  }
}

/**
 * `confirmNotifyId()` could not get an answer from Alipay's `notify_verify` service: the request
 * failed (DNS, refused connection, TLS) or did not finish within `timeoutMs`. A `false` or
 * `invalid` answer is not an error: it is a result with `confirmed: false`.
 *
 * @example
 * ```ts
 * try { await confirmNotifyId({ partner, notifyId }); }
 * catch (err) { if (err instanceof NotifyIdCheckError) console.log(err.reason); } // 'timeout' | 'network'
 * ```
 */
export class NotifyIdCheckError extends AlipayNotifyError {
  /** Why no answer came back. */
  readonly reason: 'timeout' | 'network';

  constructor(reason: 'timeout' | 'network', options?: { cause?: unknown }) {
    super(
      'ERR_NOTIFY_ID_CHECK',
      reason === 'timeout' ? 'notify_verify did not answer in time' : 'notify_verify request failed',
      options,
    );
    this.reason = reason;
  }
}
