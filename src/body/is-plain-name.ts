/**
 * Whether `name` is a plain Alipay field name. Alipay's names are ASCII words (`notify_id`,
 * `_input_charset`); anything else, and any name that could reach an object prototype, is refused
 * rather than guessed at. Allowed: `[A-Za-z0-9_]` first, then also `.` and `-`; at most 64
 * characters; not `__…`, `constructor` or `prototype`.
 *
 * @example
 * ```ts
 * isPlainName('notify_id'); // true
 * isPlainName('a[b]');      // false
 * ```
 */
export function isPlainName(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const word = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
    if (!word && (i === 0 || (c !== 0x2e && c !== 0x2d))) return false;
  }
  return (
    !(name.charCodeAt(0) === 0x5f && name.charCodeAt(1) === 0x5f) && name !== 'constructor' && name !== 'prototype'
  );
}
