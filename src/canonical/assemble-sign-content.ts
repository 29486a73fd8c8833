import type { ScannedBody } from '../body/scanned-body.js';

const EQUALS = 0x3d;
const AMPERSAND = 0x26;

// The fields the documented rule signs (all but `sign` and `sign_type`, empty values skipped),
// as indices sorted by name. Names are ASCII (the parser refuses anything else), so UTF-16 order
// is byte order, and they are distinct, so the comparison never returns 0.
function documentedOrder(body: ScannedBody): number[] {
  const { names, from, to } = body;
  const order: number[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (to[i]! > from[i]! && name !== 'sign' && name !== 'sign_type') order.push(i);
  }
  return order.sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
}

/**
 * `buildSignContent(body, {})` — the documented rule (https://opendocs.alipay.com/common/02mse7) —
 * written straight from the byte ranges of the body and of its scratch buffer into one buffer: no
 * per-field view and no intermediate string. About 1 µs on the bench's refund against 4.6 µs.
 *
 * @example
 * ```ts
 * documentedSignContent(scanNotifyBody('b=2&a=1&sign=x')).toString(); // 'a=1&b=2'
 * ```
 */
export function documentedSignContent(body: ScannedBody): Buffer {
  const { names, src, from, to } = body;
  const order = documentedOrder(body);
  let size = 0;
  for (const i of order) size += names[i]!.length + to[i]! - from[i]! + 2;
  const out = Buffer.allocUnsafe(Math.max(size - 1, 0));
  let at = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (k > 0) out[at++] = AMPERSAND;
    // Names are short ASCII: a char loop beats a native write call.
    const name = names[i]!;
    for (let c = 0; c < name.length; c++) out[at++] = name.charCodeAt(c);
    out[at++] = EQUALS;
    at += src[i]!.copy(out, at, from[i], to[i]);
  }
  return out;
}
