/**
 * Alipay's documented retry intervals after a notification is not answered `success`:
 * 4m, 10m, 10m, 1h, 2h, 6h, 15h — eight sends in about 25 hours
 * (https://opendocs.alipay.com/open/270/105902).
 *
 * @example
 * ```ts
 * ALIPAY_RETRY_INTERVALS_MS.map((ms) => ms / 1440); // a day in a minute
 * ```
 */
export const ALIPAY_RETRY_INTERVALS_MS: readonly number[] = Object.freeze(
  [4, 10, 10, 60, 120, 360, 900].map((minutes) => minutes * 60_000),
);

/**
 * Formats a duration the way the schedule is written (`4m`, `1h`, `12.5s`).
 *
 * @example
 * ```ts
 * formatDuration(240_000); // '4m'
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)}s`;
  return `${Math.round(ms)}ms`;
}
