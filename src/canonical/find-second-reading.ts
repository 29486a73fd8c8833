import { isPlainName } from '../body/is-plain-name.js';
import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { isSigned, type SignContentRule } from './build-sign-content.js';

/** Where the signed string could be read differently: `field`'s value holds what reads as `as`. */
export interface SecondReading {
  /** The signed field whose value holds a would-be field. */
  readonly field: string;
  /** The name that could be split out of it. */
  readonly as: string;
}

const AMPERSAND = 0x26;
const EQUALS = 0x3d;

// The name of a would-be field starting right after the `&` at `at`, up to its `=`, if it is a
// plain field name; otherwise undefined.
function nameAfter(value: Uint8Array, at: number): string | undefined {
  let end = at;
  while (end < value.length && value[end] !== EQUALS && value[end] !== AMPERSAND && end - at <= 64) end++;
  if (end >= value.length || value[end] !== EQUALS) return undefined;
  const name = Buffer.from(value.buffer, value.byteOffset + at, end - at).toString('latin1');
  return isPlainName(name) ? name : undefined;
}

/**
 * Finds a second reading of the string `rule` signs, if it has one.
 *
 * Alipay's signed string is `name=value` pairs sorted by name and joined with `&`, with nothing
 * escaped (https://opendocs.alipay.com/common/02mse7). A value may hold a decoded `&` or `=`, so
 * the same bytes can be cut into fields in more than one way, and an attacker holding one genuine
 * body can send another cut of it that still verifies ("field folding": `X=a%26Y%3Db` in place of
 * `X=a&Y=b`). A cut is any choice of `&name=` positions whose names are plain and strictly
 * ascending (`sign` is never signed, so it never starts a field).
 *
 * We accept exactly one cut per signed string: the greedy one, which starts a field at every
 * `&Y=` whose `Y` sorts after the field it would end. It depends on the bytes alone, so any
 * other cut of the same bytes is refused. The received cut is the greedy one exactly when no
 * signed field `X` holds `&Y=` with `Y` a plain name sorting after `X` — the condition checked
 * here. There is deliberately no upper bound on `Y` (such as "before the next signed field"):
 * a split-out `Y` can itself swallow the fields that follow it, so a `Y` past the next field is a
 * second reading too.
 *
 * The variants: the check runs over the fields the verifying rule signed (`sign_type` among them
 * when it was kept, empty values when they were kept, `alipay_cert_sn` unless it was left out). A
 * would-be field inside a value counts whatever its name but `sign` — `sign_type`, an
 * `alipay_cert_sn` or an empty one included — because another variant we accept would sign it.
 *
 * What stays accepted: values whose `&Y=` names sort before their own field
 * (`passback_params=a=1&b=2`), or are not plain names (`subject=Tom & Jerry = friends`), or have
 * no `=` (`a&b`). Alipay sends `passback_params` percent-encoded and its own fields hold no `&`,
 * so a genuine notification practically never has a second reading.
 *
 * @example
 * ```ts
 * const parsed = parseNotifyBody('notify_id=1%26notify_time%3D2&sign=x');
 * findSecondReading(parsed, {}); // { field: 'notify_id', as: 'notify_time' }
 * ```
 */
export function findSecondReading(parsed: ParsedNotifyBody, rule: SignContentRule): SecondReading | undefined {
  for (const field of parsed.names) {
    if (!isSigned(parsed, field, rule)) continue;
    const value = parsed.bytes[field]!;
    for (let at = value.indexOf(AMPERSAND); at !== -1; at = value.indexOf(AMPERSAND, at + 1)) {
      const name = nameAfter(value, at + 1);
      if (name !== undefined && name !== 'sign' && name > field) return { field, as: name };
    }
  }
  return undefined;
}
