import { AlipayNotifyError } from '../errors.js';

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
    super('ERR_NOTIFY_ID_CHECK', reason === 'timeout' ? 'notify_verify did not answer in time' : 'notify_verify request failed', options);
    this.reason = reason;
  }
}
