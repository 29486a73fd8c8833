import { NotifyExpiredError, NotifyFieldError } from '../errors/index.js';
import type { AlipayNotification } from '../types.js';

/**
 * The adapters' default freshness window: 25 hours. Alipay stops retrying about 24 h 22 min after
 * the first delivery ("直到超过24小时22分钟", https://opendocs.alipay.com/open/270/105902), so a
 * genuine notification is never older than that when it arrives.
 *
 * @example
 * ```ts
 * verifyNotify(rawBody, { ...options, maxNotifyAgeMs: DEFAULT_MAX_NOTIFY_AGE_MS });
 * ```
 */
export const DEFAULT_MAX_NOTIFY_AGE_MS = 25 * 3600_000;

/**
 * How far in the future a notification's time may be: clock skew between Alipay and us.
 *
 * @example
 * ```ts
 * if (err instanceof NotifyExpiredError && err.ageMs < -MAX_FUTURE_SKEW_MS) console.warn('check the server clock');
 * ```
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Refuses a verified notification sent longer than `maxAgeMs` before `now`, or more than
 * {@link MAX_FUTURE_SKEW_MS} after it (`ERR_NOTIFY_EXPIRED`). The time is the signed `notify_time`
 * (`utc_timestamp` for message-service messages); a notification with neither cannot be dated and
 * is `ERR_FIELD_INVALID` while the check is on.
 *
 * Why: the duplicate store forgets a handled `notify_id` after a while; a replay of an old genuine
 * body after that would otherwise run the handler again.
 */
export function checkFreshness(n: AlipayNotification, maxAgeMs: number, now: Date): void {
  const sent = n.notifyTime;
  if (sent === undefined) throw new NotifyFieldError('notify_time', "required to check the notification's age");
  const ageMs = now.getTime() - sent.getTime();
  if (ageMs > maxAgeMs || ageMs < -MAX_FUTURE_SKEW_MS) throw new NotifyExpiredError(sent, ageMs, maxAgeMs);
}
