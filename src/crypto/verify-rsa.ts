/** RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2) of Alipay's RSA2 and RSA signatures, sync and async. */
import { verify as cryptoVerify } from 'node:crypto';
import type { ImportedPublicKey } from './import-public-key.js';

/** The signature algorithms of Alipay's `sign_type` values. */
export const SIGN_TYPE_HASH = Object.freeze({ RSA2: 'sha256', RSA: 'sha1' } as const);

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature over `content` with each key in turn.
 * Returns the index of the key that verified, or -1.
 *
 * @example
 * ```ts
 * const i = verifyRsaSignature('sha256', content, signature, [imported]);
 * ```
 */
export function verifyRsaSignature(
  hash: 'sha256' | 'sha1',
  content: Uint8Array,
  signature: Uint8Array,
  keys: readonly ImportedPublicKey[],
): number {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // A signature of the wrong length can never verify; skip OpenSSL for it.
    if (signature.length !== key.bits >> 3) continue;
    try {
      if (cryptoVerify(hash, content, key.key, signature)) return i;
    } catch {
      // Malformed input is simply "not verified".
    }
  }
  return -1;
}

/**
 * {@link verifyRsaSignature} on libuv's thread pool (callback `crypto.verify`), key after key.
 *
 * @example
 * ```ts
 * const i = await verifyRsaSignatureAsync('sha256', content, signature, [imported]);
 * ```
 */
export async function verifyRsaSignatureAsync(
  hash: 'sha256' | 'sha1',
  content: Uint8Array,
  signature: Uint8Array,
  keys: readonly ImportedPublicKey[],
): Promise<number> {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (signature.length !== key.bits >> 3) continue;
    const ok = await new Promise<boolean>((resolve) => {
      cryptoVerify(hash, content, key.key, signature, (err, result) => resolve(err === null && result));
    });
    if (ok) return i;
  }
  return -1;
}

/**
 * Decodes the base64 `sign` field. Returns an empty buffer for anything that is not base64.
 *
 * @example
 * ```ts
 * decodeSignature('AAEC'); // <Buffer 00 01 02>
 * ```
 */
export function decodeSignature(sign: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sign)) return Buffer.alloc(0);
  const bytes = Buffer.from(sign, 'base64');
  // Only the canonical encoding is accepted: base64's unused low bits would otherwise let a
  // different `sign` string pass for the same signature (a body change that verifies).
  return bytes.toString('base64') === sign ? bytes : Buffer.alloc(0);
}
