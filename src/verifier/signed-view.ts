import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { ScannedBody } from '../body/scanned-body.js';
import { isSigned, type SignContentRule } from '../canonical/build-sign-content.js';

// `sign` and `sign_type` are never signed under the documented rule, yet merchants look them up
// in `fields` (for an audit log, or to see the algorithm); they stay, and the docs say so.
function kept(parsed: ParsedNotifyBody, name: string, rule: SignContentRule): boolean {
  return name === 'sign' || name === 'sign_type' || isSigned(parsed, name, rule);
}

/**
 * The parsed body restricted to what `rule` signed (plus `sign` and `sign_type`), so that the
 * typed notification is built only from signed content: an empty field the rule skipped, or an
 * `alipay_cert_sn` it left out, is not there. The parsed body itself is returned when nothing is
 * left out, as for every notification signed by the documented rule without empty fields.
 *
 * @example
 * ```ts
 * signedView(parseNotifyBody('a=1&b=&sign=x'), {}).names; // ['a', 'sign']
 * ```
 */
export function signedView(parsed: ParsedNotifyBody, rule: SignContentRule): ParsedNotifyBody {
  // Without empty values or excluded names every field is kept, whatever the rule: a scanned body
  // knows that without building its per-field views.
  if (parsed instanceof ScannedBody && !parsed.hasEmpty && (rule.exclude === undefined || rule.exclude.length === 0))
    return parsed;
  if (parsed.names.every((n) => kept(parsed, n, rule))) return parsed;
  const names = parsed.names.filter((n) => kept(parsed, n, rule));
  const bytes = Object.create(null) as Record<string, Uint8Array>;
  const fields = Object.create(null) as Record<string, string>;
  for (const n of names) {
    bytes[n] = parsed.bytes[n]!;
    fields[n] = parsed.fields[n]!;
  }
  return { ...parsed, names, bytes, fields };
}
