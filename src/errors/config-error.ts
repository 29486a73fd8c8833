import { AlipayNotifyError } from './alipay-notify-error.js';

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
