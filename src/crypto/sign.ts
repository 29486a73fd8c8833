/**
 * Signing, for the test signer, the fake gateway, the CLI and the client (the client signs the requests
 * it sends to Alipay's gateway). Verification never signs.
 */
import { createHash, createPrivateKey, generateKeyPairSync, KeyObject, sign as cryptoSign } from 'node:crypto';
import { SIGN_TYPE_HASH } from './verify-rsa.js';

/**
 * Signs `content` as Alipay does, for the test helpers: RSA2/RSA with a private key, MD5 with the
 * partner key. Production code never signs.
 */
export function signContent(
  signType: 'RSA2' | 'RSA' | 'MD5',
  content: Uint8Array,
  keys: { privateKey?: string | KeyObject; md5Key?: string },
): string {
  if (signType === 'MD5') {
    if (keys.md5Key === undefined) throw new TypeError('md5Key is required for MD5');
    return createHash('md5').update(content).update(keys.md5Key, 'utf8').digest('hex');
  }
  if (keys.privateKey === undefined) throw new TypeError('privateKey is required for RSA2 and RSA');
  return rsaSign(SIGN_TYPE_HASH[signType], content, keys.privateKey).toString('base64');
}

/** Generates an RSA key pair (PKCS#8 PEM private, SPKI PEM public, bare base64 public). */
export function generateRsaKeyPair(bits: number): { privateKey: string; publicKey: string; publicKeyBase64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** The digest of `data` (a report's SHA-256, a DigestInfo comparison). */
export function digestOf(hash: string, data: Uint8Array): Buffer {
  return createHash(hash).update(data).digest();
}

/** PKCS#1 v1.5 RSA signature over `data` (test signer; the test certificate builder signs TBS with it). */
export function rsaSign(hash: 'sha256' | 'sha1', data: Uint8Array, privateKey: string | KeyObject): Buffer {
  return cryptoSign(hash, data, typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey);
}
