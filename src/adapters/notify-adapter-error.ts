import { AlipayNotifyError, type NotifyAdapterErrorCode } from '../errors.js';

export type { NotifyAdapterErrorCode } from '../errors.js';

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

  constructor(code: NotifyAdapterErrorCode, message: string, options: { notifyId?: string | undefined; cause?: unknown } = {}) {
    super(code, message, 'cause' in options ? { cause: options.cause } : undefined);
    this.notifyId = options.notifyId;
  }
}
