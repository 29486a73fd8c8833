import { requestSignContent } from '../../client/request-params.js';
import type { ImportedPublicKey } from '../../crypto/import-public-key.js';
import { decodeSignature, verifyRsaSignature } from '../../crypto/verify-rsa.js';

/**
 * Whether a call's `sign` is the app's RSA2 signature of its parameters (Alipay's request sign
 * string: sorted, without `sign`), checked with the app's public key.
 *
 * @example
 * ```ts
 * verifyRequestSignature(params, importAlipayPublicKey(app.publicKey, 'appPublicKey')); // true or false
 * ```
 */
export function verifyRequestSignature(
  params: Readonly<Record<string, string>>,
  appPublicKey: ImportedPublicKey,
): boolean {
  const sign = params['sign'];
  return (
    sign !== undefined &&
    verifyRsaSignature('sha256', Buffer.from(requestSignContent(params), 'utf8'), decodeSignature(sign), [
      appPublicKey,
    ]) === 0
  );
}
