/** The legacy MAPI MD5 "signature": a keyed hash, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Legacy MAPI MD5 signature check: `md5_hex(content + key)`, compared in constant time
 * (Alipay's legacy MAPI documentation).
 *
 * @example
 * ```ts
 * verifyMd5Signature(content, md5Key, fields.sign);
 * ```
 */
export function verifyMd5Signature(content: Uint8Array, md5Key: string, sign: string): boolean {
  const expected = createHash('md5').update(content).update(md5Key, 'utf8').digest();
  // Lowercase hex only, as Alipay sends it: a case change is a change to the body.
  const given = /^[0-9a-f]{32}$/.test(sign) ? Buffer.from(sign, 'hex') : Buffer.alloc(16, 0xff);
  return timingSafeEqual(expected, given);
}
