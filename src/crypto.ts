/**
 * The one module that touches cryptography: key import, RSA and MD5 verification.
 * Keys are imported once into `KeyObject`s; re-importing a PEM per call costs five times the RSA
 * operation itself (measured with `npm run bench`).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  X509Certificate,
} from 'node:crypto';
import { NotifyConfigError } from './errors.js';

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

/** The signature algorithms of Alipay's `sign_type` values. */
export const SIGN_TYPE_HASH = Object.freeze({ RSA2: 'sha256', RSA: 'sha1' } as const);

function fromDer(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

function toKeyObject(input: AlipayPublicKeyInput, option: string): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'public') throw new NotifyConfigError(option, 'expected the Alipay public key, got a private or secret key');
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
    throw new NotifyConfigError(option, 'not a readable RSA public key (bare base64, PEM, DER or KeyObject)', { cause: err });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new NotifyConfigError(option, 'the Alipay public key must be an RSA key');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) throw new NotifyConfigError(option, 'RSA key is shorter than 1024 bits');
  const der = key.export({ format: 'der', type: 'spki' });
  const fingerprint = `sha256:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
  return { key, fingerprint, bits };
}

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

/** A certificate from Alipay's public-key-certificate mode, ready for verification. */
export interface ImportedCertificate extends ImportedPublicKey {
  /** Alipay's certificate SN: lowercase hex MD5 of the RFC 2253 issuer DN + decimal serial (as Alipay's Java SDK computes it, `AntCertificationUtil.getCertSN`). */
  readonly sn: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly cert: X509Certificate;
  /** Certificates that came after the first one in the same PEM (the issuing chain). */
  readonly chain: readonly X509Certificate[];
}

/** Splits a PEM bundle into certificates, in file order. */
export function parseCertificates(pem: string | Uint8Array, option: string): X509Certificate[] {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem.buffer, pem.byteOffset, pem.byteLength).toString('latin1');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (blocks === null) throw new NotifyConfigError(option, 'no PEM certificate found');
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new NotifyConfigError(option, 'unreadable certificate', { cause: err });
    }
  });
}

/**
 * Alipay's certificate SN: `md5_hex(issuerDN + decimal(serial))` with the issuer in RFC 2253
 * order (most specific first, `,` without spaces), as Java's `getIssuerX500Principal().getName()`
 * renders it (as Alipay's Java SDK computes it, `AntCertificationUtil.getCertSN`).
 *
 * @example
 * ```ts
 * certificateSn(new X509Certificate(pem)); // '7513daaaa48aa3ba2e4018d84402479c'
 * ```
 */
export function certificateSn(cert: X509Certificate): string {
  const issuer = cert.issuer.split('\n').reverse().join(',');
  const serial = BigInt(`0x${cert.serialNumber}`).toString(10);
  return createHash('md5').update(issuer + serial, 'utf8').digest('hex');
}

/**
 * Alipay's root-certificate SN: the SNs of the RSA-signed certificates of the root bundle, in file
 * order, joined with `_` (as Alipay's Java SDK computes it, `AntCertificationUtil.getCertSN`).
 *
 * @example
 * ```ts
 * rootCertificateSn(rootPem); // '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6'
 * ```
 */
export function rootCertificateSn(pem: string | Uint8Array): string {
  return parseCertificates(pem, 'alipayRootCert')
    .filter((c) => isRsaSigned(c))
    .map(certificateSn)
    .join('_');
}

// OID 1.2.840.113549.1.1.x (PKCS#1 RSA signatures) as Java and Node's SDKs filter; X509Certificate
// exposes no signature algorithm, so read it from the DER: the AlgorithmIdentifier after the TBS.
const RSA_SIG_OID_PREFIX = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01]);

function readLength(der: Buffer, at: number): [length: number, next: number] {
  const first = der[at]!;
  if (first < 0x80) return [first, at + 1];
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + der[at + 1 + i]!;
  return [length, at + 1 + n];
}

function isRsaSigned(cert: X509Certificate): boolean {
  const der = cert.raw;
  // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, … }
  const [, bodyStart] = readLength(der, 1);
  const [tbsLength, tbsStart] = readLength(der, bodyStart + 1);
  const algStart = tbsStart + tbsLength;
  const [, oidAt] = readLength(der, algStart + 1);
  return der.subarray(oidAt, oidAt + RSA_SIG_OID_PREFIX.length).equals(RSA_SIG_OID_PREFIX);
}

// ---- What a certificate may be used for (RFC 5280 §4.2.1.3 key usage, §4.2.1.9 basic constraints) ----

interface Tlv {
  readonly tag: number;
  /** Offset of the first value byte. */
  readonly start: number;
  /** Offset just past the value. */
  readonly end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  const [length, start] = readLength(der, at + 1);
  return { tag: der[at]!, start, end: start + length };
}

function childrenOf(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1]!.end) out.push(readTlv(der, at));
  return out;
}

const BASIC_CONSTRAINTS_OID = Buffer.from([0x55, 0x1d, 0x13]); // 2.5.29.19
const KEY_USAGE_OID = Buffer.from([0x55, 0x1d, 0x0f]); // 2.5.29.15

/** The certificate's `cA` flag and key usage bits (null when it has no key usage extension). */
function certificateUsage(cert: X509Certificate): { ca: boolean; keyUsage: number | null } {
  const der = cert.raw;
  const tbs = childrenOf(der, readTlv(der, 0))[0]!;
  // Extensions are the [3] EXPLICIT field of the TBSCertificate: SEQUENCE OF { extnID, critical?, extnValue }.
  const extensions = childrenOf(der, tbs).find((t) => t.tag === 0xa3);
  let ca = false;
  let keyUsage: number | null = null;
  for (const ext of extensions === undefined ? [] : childrenOf(der, childrenOf(der, extensions)[0]!)) {
    const parts = childrenOf(der, ext);
    const id = der.subarray(parts[0]!.start, parts[0]!.end);
    const inner = readTlv(der, parts[parts.length - 1]!.start); // the extnValue OCTET STRING's content
    if (id.equals(BASIC_CONSTRAINTS_OID)) {
      // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
      const first = childrenOf(der, inner)[0];
      ca = first !== undefined && first.tag === 0x01 && der[first.start] !== 0x00;
    } else if (id.equals(KEY_USAGE_OID)) {
      // KeyUsage ::= BIT STRING: bit 0 (digitalSignature) is the first byte's 0x80, and so on.
      const byte = (i: number): number => (inner.start + i < inner.end ? der[inner.start + i]! : 0);
      keyUsage = (byte(1) << 8) | byte(2);
    }
  }
  return { ca, keyUsage };
}

const KU_DIGITAL_SIGNATURE = 0x8000;
const KU_NON_REPUDIATION = 0x4000;
const KU_KEY_CERT_SIGN = 0x0400;

/**
 * Why a certificate cannot be Alipay's signing certificate, or null when it can. Alipay's
 * `alipayCertPublicKey_RSA2.crt` leaves carry key usage digitalSignature and nonRepudiation (with
 * keyEncipherment and dataEncipherment) and no basicConstraints; its CAs carry CA:TRUE with
 * keyCertSign and cRLSign. A CA certificate given as `alipayPublicCert` (often the root bundle, in
 * the wrong option) would otherwise be trusted to sign notifications.
 */
function notASigningLeaf(cert: X509Certificate): string | null {
  const { ca, keyUsage } = certificateUsage(cert);
  const hint = 'give alipayCertPublicKey_RSA2.crt as alipayPublicCert (and alipayRootCert.crt as alipayRootCert)';
  if (ca) return `is a CA certificate (basicConstraints CA:TRUE), not the certificate Alipay signs notifications with: ${hint}`;
  if (keyUsage !== null && (keyUsage & KU_KEY_CERT_SIGN) !== 0) {
    return `is a CA certificate (key usage keyCertSign), not the certificate Alipay signs notifications with: ${hint}`;
  }
  if (keyUsage !== null && (keyUsage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) === 0) {
    return `its key usage does not allow signatures (neither digitalSignature nor nonRepudiation): ${hint}`;
  }
  return null;
}

/**
 * Imports an `alipayCertPublicKey_RSA2.crt` PEM (the leaf first, any issuing certificates after it).
 * A CA certificate, or one whose key usage excludes signatures, is refused (`ERR_CONFIG`).
 *
 * @example
 * ```ts
 * const { sn, fingerprint } = importAlipayCertificate(pem);
 * ```
 */
export function importAlipayCertificate(pem: string | Uint8Array, option = 'alipayPublicCert'): ImportedCertificate {
  const [cert, ...chain] = parseCertificates(pem, option);
  const refused = notASigningLeaf(cert!);
  if (refused !== null) throw new NotifyConfigError(option, refused);
  const imported = importAlipayPublicKey(cert!.publicKey, option);
  return {
    ...imported,
    sn: certificateSn(cert!),
    validFrom: new Date(cert!.validFrom),
    validTo: new Date(cert!.validTo),
    cert: cert!,
    chain,
  };
}

/**
 * The path from `cert` up to one of `roots` (both ends included), following `chain`, with every
 * signature checked; `null` when it does not lead to a root. Validity dates are not looked at here:
 * they are checked per notification against the verifier's clock.
 *
 * @example
 * ```ts
 * const path = certificatePath(imported.cert, imported.chain, roots);
 * ```
 */
export function certificatePath(
  cert: X509Certificate,
  chain: readonly X509Certificate[],
  roots: readonly X509Certificate[],
): X509Certificate[] | null {
  const path = [cert];
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    if (roots.some((r) => r.fingerprint256 === current.fingerprint256)) return path;
    const issuer = [...chain, ...roots].find((c) => c !== current && current.checkIssued(c) && safeVerify(current, c));
    if (issuer === undefined) return null;
    path.push(issuer);
    if (roots.includes(issuer)) return path;
    current = issuer;
  }
  return null;
}

/** Whether every certificate of `path` is valid at `now`. */
export function isValidAt(path: readonly X509Certificate[], now: Date): boolean {
  const t = now.getTime();
  return path.every((c) => t >= Date.parse(c.validFrom) && t <= Date.parse(c.validTo));
}

function safeVerify(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Signs `content` as Alipay does, for the test helpers: RSA2/RSA with a private key, MD5 with the
 * partner key. Production code never signs.
 */
export function signContent(signType: 'RSA2' | 'RSA' | 'MD5', content: Uint8Array, keys: { privateKey?: string | KeyObject; md5Key?: string }): string {
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
const DIGEST_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

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
  return Buffer.from(modPow(s, e, n).toString(16).padStart(size * 2, '0'), 'hex');
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
  const size = key.bits + 7 >> 3;
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

// ---- Helpers for the test signer, the CLI and the diagnosis, so that they need no crypto of their own ----

/** The digest of `data` (a report's SHA-256, a DigestInfo comparison). */
export function digestOf(hash: string, data: Uint8Array): Buffer {
  return createHash(hash).update(data).digest();
}

/** SPKI DER of a public key given as PEM (the test certificate builder embeds it). */
export function spkiDerOf(publicKeyPem: string): Buffer {
  return createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
}

/** PKCS#1 v1.5 RSA signature over `data` (test signer; the test certificate builder signs TBS with it). */
export function rsaSign(hash: 'sha256' | 'sha1', data: Uint8Array, privateKey: string | KeyObject): Buffer {
  return cryptoSign(hash, data, typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey);
}

/** Alipay's SN of the first certificate in a PEM. */
export function certificateSnOfPem(pem: string | Uint8Array): string {
  return certificateSn(parseCertificates(pem, 'certificate')[0]!);
}

/** The public key of the first certificate in a PEM, as SPKI PEM and bare base64. */
export function certificatePublicKey(pem: string | Uint8Array): { pem: string; base64: string } {
  const key = parseCertificates(pem, 'certificate')[0]!.publicKey;
  return { pem: key.export({ format: 'pem', type: 'spki' }).toString(), base64: key.export({ format: 'der', type: 'spki' }).toString('base64') };
}
