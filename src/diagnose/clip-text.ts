// The diagnosis report goes to logs, and most of what it quotes comes from the request: values
// (sign_type, alipay_cert_sn, app_id …) can be as long as the body, names up to 64 characters each.
// Everything it quotes is clipped, so that one forged request cannot write kilobytes of its own
// text into a log line (OWASP Logging Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html).

/** Most characters of request text (a value, a name) a report quotes in one place. */
export const MAX_REPORTED_TEXT = 200;

/** Most characters of the canonical string a report shows (its length and SHA-256 are of the whole). */
export const MAX_CANONICAL_TEXT = 4096;

/** Most field names a report lists in one place. */
export const MAX_REPORTED_NAMES = 20;

/**
 * `text` cut to `max` characters (whole code points) with `…` appended when it was longer.
 *
 * @example
 * ```ts
 * clipText('x'.repeat(1000)); // 200 × 'x' + '…'
 * ```
 */
export function clipText(text: string, max: number = MAX_REPORTED_TEXT): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max).join('')}…`;
}

/**
 * At most {@link MAX_REPORTED_NAMES} names, each clipped, then `…+N more` when some were left out.
 *
 * @example
 * ```ts
 * clipNames(['a', 'b']); // ['a', 'b']
 * ```
 */
export function clipNames(names: readonly string[]): string[] {
  const shown = names.slice(0, MAX_REPORTED_NAMES).map((n) => clipText(n));
  return names.length > MAX_REPORTED_NAMES ? [...shown, `…+${names.length - MAX_REPORTED_NAMES} more`] : shown;
}
