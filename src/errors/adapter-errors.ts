/** Errors around a notification rather than in it: the body, the handler, the duplicate store. */
import { AlipayNotifyError } from './alipay-notify-error.js';
import type { NotifyAdapterErrorCode } from './error-codes.js';

/**
 * What went wrong around a notification rather than in it: the body was unavailable, your handler
 * failed or timed out (the user's error is the `cause`), the duplicate store failed, a copy of the
 * notification was still being handled elsewhere. The adapters hand it to `onError`; it is never
 * thrown at the caller.
 *
 * @example
 * ```ts
 * createExpressHandler({
 *   ...options,
 *   onError(err) {
 *     if (err instanceof NotifyAdapterError && err.code === 'ERR_HANDLER_FAILED') logger.error(err.cause);
 *   },
 * });
 * ```
 */
export class NotifyAdapterError extends AlipayNotifyError {
  declare readonly code: NotifyAdapterErrorCode;
  /** The notification's `notify_id`, once it verified. */
  readonly notifyId: string | undefined;

  constructor(
    code: NotifyAdapterErrorCode,
    message: string,
    options: { notifyId?: string | undefined; cause?: unknown } = {},
  ) {
    super(code, message, 'cause' in options ? { cause: options.cause } : undefined);
    this.notifyId = options.notifyId;
  }
}

/**
 * A Redis duplicate store's command did not answer within `commandTimeoutMs` (a client queues
 * commands while it reconnects). It reaches `onError` as the `cause` of an `ERR_STORE_FAILED`.
 *
 * @example
 * ```ts
 * onError(err) { if (err.cause instanceof RedisStoreTimeoutError) metrics.increment('redis_timeout'); }
 * ```
 */
export class RedisStoreTimeoutError extends AlipayNotifyError {
  declare readonly code: 'ERR_STORE_TIMEOUT';
  /** The bound that was exceeded, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super('ERR_STORE_TIMEOUT', `Redis did not answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}
