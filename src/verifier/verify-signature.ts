import { type AlipayPublicKeyInput } from '../crypto/import-public-key.js';
import { verifyMd5Signature } from '../crypto/verify-md5.js';
import { decodeSignature, SIGN_TYPE_HASH, verifyRsaSignature } from '../crypto/verify-rsa.js';
import { NotifyConfigError, NotifySignatureError } from '../errors/index.js';
import type { SignType } from '../types.js';
import { importPublicKeys } from './resolve-options.js';

/** The keys `verifySignature` may use. */
export interface SignatureKeys {
  /** One or more Alipay public keys, for `RSA2` and `RSA`. */
  alipayPublicKey?: AlipayPublicKeyInput | readonly AlipayPublicKeyInput[];
  /** The MAPI partner key, for `MD5`. */
  md5Key?: string;
}

/**
 * Verifies `sign` over an already-built canonical string (see `buildSignContent`). Returns the
 * fingerprint of the key that verified, or throws `ERR_SIGNATURE_INVALID`.
 * Building block for unusual setups; `verifyNotify` does all of this for you.
 *
 * @example
 * ```ts
 * import { parseNotifyBody, buildSignContent, verifySignature } from 'alipay-refund-notify';
 * const parsed = parseNotifyBody(rawBody);
 * verifySignature(buildSignContent(parsed), parsed.fields.sign!, 'RSA2', { alipayPublicKey: KEY });
 * ```
 */
export function verifySignature(
  content: Uint8Array,
  sign: string,
  signType: SignType,
  keys: SignatureKeys,
): { fingerprint: string } {
  if (signType === 'MD5') {
    if (typeof keys.md5Key !== 'string' || keys.md5Key === '')
      throw new NotifyConfigError('md5Key', 'required for MD5');
    if (verifyMd5Signature(content, keys.md5Key, sign)) return { fingerprint: 'md5' };
  } else {
    const hash = SIGN_TYPE_HASH[signType];
    if (hash === undefined)
      throw new NotifySignatureError('ERR_SIGN_TYPE_UNSUPPORTED', 'unknown signature type', { signType });
    const imported = importPublicKeys(keys.alipayPublicKey);
    if (imported.length === 0) throw new NotifyConfigError('alipayPublicKey', 'give the Alipay public key');
    const i = verifyRsaSignature(hash, content, decodeSignature(sign), imported);
    if (i >= 0) return { fingerprint: imported[i]!.fingerprint };
  }
  throw new NotifySignatureError('ERR_SIGNATURE_INVALID', 'signature does not verify', { signType });
}
