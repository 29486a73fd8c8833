import { NotifyBodyError } from '../errors/index.js';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Form-decodes `raw[start, end)` to bytes, exactly once: `+` is a space and `%XX` is one byte.
 * Nothing else is touched, so a value that Alipay sent still percent-encoded (`passback_params`)
 * keeps its inner escapes (decoding twice broke it in the official SDK: alipay/alipay-sdk-nodejs-all#45). A `%` not followed by two hex digits is
 * `ERR_BODY_MALFORMED`. Returns a view on `raw` when there is nothing to decode.
 *
 * @example
 * ```ts
 * formDecode(Buffer.from('a+b%2Bc'), 0, 7, 'subject'); // bytes of 'a b+c'
 * ```
 */
export function formDecode(raw: Uint8Array, start: number, end: number, field: string): Uint8Array {
  let i = start;
  while (i < end && raw[i] !== 0x25 && raw[i] !== 0x2b) i++;
  if (i === end) return raw.subarray(start, end);
  const out = new Uint8Array(end - start);
  out.set(raw.subarray(start, i));
  let n = i - start;
  for (; i < end; i++) {
    const c = raw[i]!;
    if (c === 0x2b) {
      out[n++] = 0x20;
    } else if (c === 0x25) {
      const hi = i + 2 < end ? hexValue(raw[i + 1]!) : -1;
      const lo = hi >= 0 ? hexValue(raw[i + 2]!) : -1;
      if (lo < 0) throw new NotifyBodyError('ERR_BODY_MALFORMED', 'bad percent-escape in form body', { field });
      out[n++] = (hi << 4) | lo;
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}
