import type { KeyObject } from 'node:crypto';
import type { ImportedPublicKey } from './import-public-key.js';

// ---- Raw signature opening, for diagnoseNotify ----
// The raw public-key operation s^e mod n (RFC 8017 §5.2.2 RSAVP1) is done here with BigInt, and the
// PKCS#1 v1.5 type-1 padding and the DigestInfo are parsed here, so that a signature made with the
// wrong hash or over other content still tells which key and which hash made it. `publicDecrypt`
// with `RSA_NO_PADDING` does the same operation in Node, but not on every runtime (Deno's
// node:crypto had no `publicDecrypt` until https://github.com/denoland/deno/pull/32690), and a
// runtime that refuses it made every key look like the wrong one. With e = 65537 the BigInt
// operation costs well under a millisecond, once per key and diagnosis: one implementation for
// every runtime, with nothing to detect.

/** A hash a PKCS#1 v1.5 DigestInfo can name. */
export type DigestAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** What opening a signature with one public key showed. */
export interface OpenedSignature {
  /**
   * `opened`: valid type-1 padding around a known DigestInfo, so this key's private half made it;
   * `wrong-length`: not as long as the modulus; `out-of-range`: not below the modulus (never a
   * signature of this key); `bad-padding`: not made by this key; `unknown-digest`: padded but
   * wrapping no DigestInfo we know.
   */
  readonly status: 'opened' | 'wrong-length' | 'out-of-range' | 'bad-padding' | 'unknown-digest';
  readonly hash: DigestAlgorithm | null;
  /** The digest the signer hashed, when opened. */
  readonly digest: Buffer | null;
}

// RFC 8017 §9.2 note 1 DigestInfo prefixes, plus the absent-NULL forms some signers emit.
const DIGEST_INFO: readonly (readonly [DigestAlgorithm, Buffer])[] = [
  ['sha256', Buffer.from('3031300d060960864801650304020105000420', 'hex')],
  ['sha1', Buffer.from('3021300906052b0e03021a05000414', 'hex')],
  ['sha256', Buffer.from('302f300b06096086480165030402010420', 'hex')],
  ['sha1', Buffer.from('301f300706052b0e03021a0414', 'hex')],
  ['sha224', Buffer.from('302d300d06096086480165030402040500041c', 'hex')],
  ['sha384', Buffer.from('3041300d060960864801650304020205000430', 'hex')],
  ['sha512', Buffer.from('3051300d060960864801650304020305000440', 'hex')],
  ['md5', Buffer.from('3020300c06082a864886f70d020505000410', 'hex')],
];
const DIGEST_LENGTH: Readonly<Record<DigestAlgorithm, number>> = {
  md5: 16,
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** The modulus and public exponent of an RSA public key. */
interface RsaComponents {
  readonly n: bigint;
  readonly e: bigint;
}

const components = new WeakMap<KeyObject, RsaComponents>();

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

function rsaComponents(key: KeyObject): RsaComponents {
  let c = components.get(key);
  if (c === undefined) {
    // JWK export is the one portable way to read n and e (RFC 7518 §6.3.1: base64url, big-endian).
    const jwk = key.export({ format: 'jwk' });
    c = { n: toBigInt(Buffer.from(jwk.n!, 'base64url')), e: toBigInt(Buffer.from(jwk.e!, 'base64url')) };
    components.set(key, c);
  }
  return c;
}

/** `base ** exponent mod modulus`, square-and-multiply from the low bit. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result % modulus;
}

/**
 * The raw RSA public-key operation (RFC 8017 §5.2.2 RSAVP1): the encoded message a signature holds,
 * as many bytes as the modulus, or null when the signature is not below the modulus.
 *
 * @example
 * ```ts
 * const em = rsaPublicOperation(signature, imported.key); // 00 01 ff … 00 DigestInfo
 * ```
 */
export function rsaPublicOperation(signature: Uint8Array, key: KeyObject): Buffer | null {
  const { n, e } = rsaComponents(key);
  const s = toBigInt(signature);
  if (s >= n) return null;
  const size = (n.toString(16).length + 1) >> 1;
  return Buffer.from(
    modPow(s, e, n)
      .toString(16)
      .padStart(size * 2, '0'),
    'hex',
  );
}

/**
 * Opens an RSASSA-PKCS1-v1_5 signature with a public key (the raw RSA operation) and reads the
 * hash and digest the signer used. For diagnosis only: verification uses `verifyRsaSignature`.
 *
 * @example
 * ```ts
 * const opened = openRsaSignature(decodeSignature(fields.sign), importAlipayPublicKey(KEY));
 * if (opened.status === 'opened') console.log(opened.hash, opened.digest.toString('hex'));
 * ```
 */
export function openRsaSignature(signature: Uint8Array, key: ImportedPublicKey): OpenedSignature {
  const size = (key.bits + 7) >> 3;
  const none = (status: OpenedSignature['status']): OpenedSignature => ({ status, hash: null, digest: null });
  if (signature.length !== size) return none('wrong-length');
  const block = rsaPublicOperation(signature, key.key);
  if (block === null) return none('out-of-range');
  // EM = 0x00 0x01 FF…FF (at least 8) 0x00 DigestInfo (RFC 8017 §9.2).
  if (block[0] !== 0x00 || block[1] !== 0x01) return none('bad-padding');
  let i = 2;
  while (i < block.length && block[i] === 0xff) i++;
  if (i - 2 < 8 || i >= block.length || block[i] !== 0x00) return none('bad-padding');
  const info = block.subarray(i + 1);
  for (const [hash, prefix] of DIGEST_INFO) {
    if (info.length === prefix.length + DIGEST_LENGTH[hash] && info.subarray(0, prefix.length).equals(prefix)) {
      return { status: 'opened', hash, digest: Buffer.from(info.subarray(prefix.length)) };
    }
  }
  return none('unknown-digest');
}
