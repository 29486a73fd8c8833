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
  return sortByName(order, names);
}

// Insertion sort of field indices by name: a notification has about 30 fields, and for so few a
// plain loop beats Array.prototype.sort with a comparator callback (with the copy below, the whole signed string: 3.6 → 2.0 µs).
function sortByName(order: number[], names: readonly string[]): number[] {
  for (let k = 1; k < order.length; k++) {
    const i = order[k]!;
    const name = names[i]!;
    let j = k - 1;
    while (j >= 0 && names[order[j]!]! > name) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = i;
  }
  return order;
}

// Copies src[from, to) to out at `at`. Values are short (tens of bytes): below 64 bytes a byte
// loop beats the native call behind Buffer#copy (the whole signed string: 3.2 → 2.0 µs).
function copyRange(src: Buffer, from: number, to: number, out: Buffer, at: number): number {
  if (to - from > 64) return src.copy(out, at, from, to);
  for (let i = from; i < to; i++) out[at++] = src[i]!;
  return to - from;
}

/**
 * `buildSignContent(body, {})` — the documented rule (https://opendocs.alipay.com/common/02mse7) —
 * written straight from the byte ranges of the body and of its scratch buffer into one buffer: no
 * per-field view and no intermediate string. About 2 µs on the bench's refund, against 4.1–4.6 µs
 * for `buildSignContent` on the parsed body.
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
    at += copyRange(src[i]!, from[i]!, to[i]!, out, at);
  }
  return out;
}
