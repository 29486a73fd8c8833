/**
 * Key import: every form in which merchants hold Alipay's public key becomes one `KeyObject`, once.
 * Re-importing a PEM per call costs five times the RSA operation itself (measured with `npm run bench`).
 */
import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import { NotifyConfigError } from '../errors/index.js';

/** An Alipay public key as merchants have it: bare base64 from the console, PEM, DER or a `KeyObject`. */
export type AlipayPublicKeyInput = string | Uint8Array | KeyObject;

/** A public key ready for verification. */
export interface ImportedPublicKey {
  readonly key: KeyObject;
  /** `sha256:` + the first 16 hex digits of the SHA-256 of the key's SPKI DER: safe to log. */
  readonly fingerprint: string;
  /** Modulus size in bits. */
  readonly bits: number;
}

function fromDer(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

function toKeyObject(input: AlipayPublicKeyInput, option: string): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'public')
      throw new NotifyConfigError(option, 'expected the Alipay public key, got a private or secret key');
    return input;
  }
  if (typeof input === 'string') {
    const text = input.trim();
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
      throw new NotifyConfigError(option, 'expected the Alipay public key, got a private key');
    }
    if (text.startsWith('-----BEGIN')) return createPublicKey(text);
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('not base64');
    return fromDer(Buffer.from(compact, 'base64'));
  }
  if (input instanceof Uint8Array) return fromDer(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  throw new Error('unsupported key type');
}

/**
 * Imports one Alipay public key (bare base64 SPKI or PKCS#1 as copied from the console, PEM, DER
 * or `KeyObject`). Throws `ERR_CONFIG` for anything that is not an RSA public key.
 *
 * @example
 * ```ts
 * const { fingerprint } = importAlipayPublicKey('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…');
 * ```
 */
export function importAlipayPublicKey(input: AlipayPublicKeyInput, option = 'alipayPublicKey'): ImportedPublicKey {
  let key: KeyObject;
  try {
    key = toKeyObject(input, option);
  } catch (err) {
    if (err instanceof NotifyConfigError) throw err;
    throw new NotifyConfigError(option, 'not a readable RSA public key (bare base64, PEM, DER or KeyObject)', {
      cause: err,
    });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new NotifyConfigError(option, 'the Alipay public key must be an RSA key');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) throw new NotifyConfigError(option, 'RSA key is shorter than 1024 bits');
  const der = key.export({ format: 'der', type: 'spki' });
  const fingerprint = `sha256:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
  return { key, fingerprint, bits };
}

/** SPKI DER of a public key given as PEM (the test certificate builder embeds it). */
export function spkiDerOf(publicKeyPem: string): Buffer {
  return createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
}
