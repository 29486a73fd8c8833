import iconv from 'iconv-lite';
import qs from 'qs';
import { normalizeCharset, type NotifyCharset } from '../body/charset.js';

// Java's URLEncoder, which Alipay's servers use: [A-Za-z0-9.*_-] stay, space is '+', every other
// byte of the charset's encoding is %XX (as Java's URLEncoder does).
const SAFE = /[A-Za-z0-9.*_-]/;

function encodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && SAFE.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Encodes a string's bytes in `charset` as Alipay's form encoder does. */
export function encodeFormValue(value: string, charset: NotifyCharset): string {
  return encodeBytes(charset === 'utf-8' ? Buffer.from(value, 'utf8') : iconv.encode(value, 'gb18030'));
}

/**
 * Encodes fields as an `application/x-www-form-urlencoded` body exactly as Alipay does, in the
 * charset the `charset` field names (UTF-8 when absent), keeping the fields' order.
 *
 * @example
 * ```ts
 * import { encodeFormBody } from 'alipay-refund-notify/testing';
 * encodeFormBody({ charset: 'GBK', subject: '测试' }).toString(); // 'charset=GBK&subject=%B2%E2%CA%D4'
 * ```
 */
export function encodeFormBody(fields: Readonly<Record<string, string>>, charsetLabel?: string): Buffer {
  const charset = normalizeCharset(charsetLabel ?? fields['charset'] ?? 'utf-8');
  const body = qs.stringify(fields, {
    encoder: (str: string) => encodeFormValue(String(str), charset),
    encodeValuesOnly: false,
    skipNulls: true,
  });
  return Buffer.from(body, 'latin1');
}
