import type { ParsedNotifyBody } from '../body/parse-notify-body.js';

/** Which variant of Alipay's signed-string rule to apply (the official SDKs differ: Java's `rsaCheckV1`/`rsaCheckV2`, PHP and Node keep empty values). */
export interface SignContentRule {
  /** Keep `sign_type` in the string (Java's `rsaCheckV2`, used by old gateway messages). Default false. */
  keepSignType?: boolean;
  /** Keep fields whose value is empty (PHP and Node SDKs) instead of skipping them (Java, .NET). Default false. */
  keepEmpty?: boolean;
  /** More fields to leave out, e.g. `alipay_cert_sn` when it only chooses the key. */
  exclude?: readonly string[];
}

const EQUALS = 0x3d;
const AMPERSAND = 0x26;

/**
 * Builds the exact bytes Alipay signed: every field but `sign` (and `sign_type` unless kept), empty
 * values skipped unless kept, names sorted in ascending byte order, joined as `name=value` with `&`.
 * Values are the once-decoded bytes as they arrived, never re-encoded, so a GBK notification is
 * hashed in GBK, as Alipay's Java SDK does (https://opendocs.alipay.com/common/02mse7).
 *
 * @example
 * ```ts
 * import { parseNotifyBody, buildSignContent } from 'alipay-refund-notify';
 * const parsed = parseNotifyBody('b=2&a=1&sign=x&sign_type=RSA2');
 * buildSignContent(parsed).toString(); // 'a=1&b=2'
 * ```
 */
export function buildSignContent(parsed: ParsedNotifyBody, rule: SignContentRule = {}): Buffer {
  const names = signedNames(parsed, rule);
  let size = 0;
  for (const name of names) size += name.length + parsed.bytes[name]!.length + 2;
  const out = Buffer.allocUnsafe(Math.max(size - 1, 0));
  let at = 0;
  for (const name of names) {
    if (at > 0) out[at++] = AMPERSAND;
    at += out.write(name, at, 'latin1');
    out[at++] = EQUALS;
    out.set(parsed.bytes[name]!, at);
    at += parsed.bytes[name]!.length;
  }
  return out;
}

/**
 * The names of the fields that `rule` puts in the signed string, in the order they appear there:
 * every field but `sign` (and `sign_type` unless kept, and `rule.exclude`), empty values skipped
 * unless kept, sorted in ascending byte order.
 *
 * @example
 * ```ts
 * signedNames(parseNotifyBody('b=2&a=1&e=&sign=x&sign_type=RSA2')); // ['a', 'b']
 * ```
 */
export function signedNames(parsed: ParsedNotifyBody, rule: SignContentRule = {}): string[] {
  // Names are ASCII (the parser refuses anything else), so UTF-16 order is byte order.
  return parsed.names.filter((name) => isSigned(parsed, name, rule)).sort();
}

/**
 * Whether `rule` puts field `name` in the signed string.
 *
 * @example
 * ```ts
 * isSigned(parseNotifyBody('a=1&sign=x'), 'sign', {}); // false
 * ```
 */
export function isSigned(parsed: ParsedNotifyBody, name: string, rule: SignContentRule): boolean {
  if (name === 'sign' || (name === 'sign_type' && !rule.keepSignType) || rule.exclude?.includes(name)) return false;
  return rule.keepEmpty === true || parsed.bytes[name]!.length > 0;
}

/** Whether any field that the default rule skips for being empty is present. */
export function hasEmptyValues(parsed: ParsedNotifyBody): boolean {
  for (const name of parsed.names) if (parsed.bytes[name]!.length === 0 && name !== 'sign') return true;
  return false;
}
