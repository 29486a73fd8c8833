import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { isValidAt } from '../crypto/certificate-path.js';
import { openRsaSignature, type OpenedSignature } from '../crypto/open-rsa-signature.js';
import { verifyMd5Signature } from '../crypto/verify-md5.js';
import { SIGN_TYPE_HASH } from '../crypto/verify-rsa.js';
import type { ResolvedOptions } from '../verifier/resolve-options.js';
import type { KeyDiagnosis, NotifyDiagnosis } from './notify-diagnosis.js';
import type { DiagnosisBudget } from './diagnosis-budget.js';
import type { SignStringVariant } from './sign-string-variants.js';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The `sign` value decoded, repaired when it was damaged in transit (a '+' read as a space, a value left percent-encoded). */
export function readSign(sign: string | undefined): {
  signature: NonNullable<NotifyDiagnosis['signature']>;
  bytes: Buffer;
} {
  if (sign === undefined || sign === '')
    return { signature: { present: false, bytes: 0, repaired: 'none' }, bytes: Buffer.alloc(0) };
  const compact = sign.replace(/[\r\n]/g, '');
  let repaired: 'none' | 'plus-as-space' | 'percent-encoded' = 'none';
  let text = compact;
  if (!BASE64.test(text) && BASE64.test(text.replaceAll(' ', '+'))) {
    // A body decoded twice (or a query string read as a form) turns base64's '+' into spaces.
    repaired = 'plus-as-space';
    text = text.replaceAll(' ', '+');
  } else if (!BASE64.test(text) && text.includes('%')) {
    try {
      const decoded = decodeURIComponent(text);
      if (BASE64.test(decoded)) {
        repaired = 'percent-encoded';
        text = decoded;
      }
    } catch {
      // Not percent-encoded after all: reported as not base64.
    }
  }
  const bytes = BASE64.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  return { signature: { present: true, bytes: bytes.length, repaired }, bytes };
}

/** What the signature revealed: each key's view of it, and how to check a candidate string against it. */
export interface SignatureInspection {
  readonly keys: KeyDiagnosis[];
  /** Index in `keys` of the first key the signature opens under. */
  readonly opener: number;
  /** How many times each candidate string is hashed by {@link SignatureInspection.matches} and the report together. */
  readonly hashesPerString: number;
  /** Whether the signature was made over exactly this candidate (never an RSA operation: a hash at most). */
  matches(variant: SignStringVariant): boolean;
}

function expectedHash(signType: string | null): string | null {
  return signType === 'RSA2' || signType === 'RSA' ? SIGN_TYPE_HASH[signType] : null;
}

function safeOpen(signature: Buffer, key: Parameters<typeof openRsaSignature>[1]): OpenedSignature {
  try {
    return openRsaSignature(signature, key);
  } catch {
    return { status: 'bad-padding', hash: null, digest: null };
  }
}

/**
 * Opens the signature once with every configured key (raw RSA, so the hash and digest show even
 * when the content is wrong); candidates are then checked against the recovered digest, a hash each.
 * MD5 signatures cannot be opened: each candidate is checked with the partner key instead.
 */
export function inspectSignature(
  parsed: ParsedNotifyBody,
  options: ResolvedOptions,
  signType: string | null,
  signature: Buffer,
  budget: DiagnosisBudget,
): SignatureInspection {
  if (signType === 'MD5') {
    const md5Key = options.md5Key;
    const sign = parsed.fields['sign'] ?? '';
    if (md5Key === undefined) return { keys: [], opener: -1, hashesPerString: 1, matches: () => false };
    const keys: KeyDiagnosis[] = [
      {
        fingerprint: 'md5',
        source: 'md5Key',
        bits: null,
        certSn: null,
        certValid: null,
        opens: null,
        status: 'md5',
        hash: 'md5',
        hashMatchesSignType: true,
        recoveredDigest: null,
      },
    ];
    const matches = (v: SignStringVariant): boolean => {
      budget.hashed(v.bytes.length);
      return verifyMd5Signature(v.bytes, md5Key, sign);
    };
    return { keys, opener: -1, hashesPerString: 2, matches };
  }
  const wanted = expectedHash(signType);
  const keys: KeyDiagnosis[] = [];
  const opened: OpenedSignature[] = [];
  const now = options.now();
  const candidates = [
    ...options.keys.map((key) => ({ key, cert: undefined })),
    ...options.certs.map((cert) => ({ key: cert, cert })),
  ];
  for (const { key, cert } of candidates) {
    let o: OpenedSignature = { status: 'wrong-length', hash: null, digest: null };
    if (signature.length > 0) {
      budget.rsaOpens++;
      o = safeOpen(signature, key);
    }
    opened.push(o);
    keys.push({
      fingerprint: key.fingerprint,
      source: cert === undefined ? 'alipayPublicKey' : 'alipayPublicCert',
      bits: key.bits,
      certSn: cert?.sn ?? null,
      certValid: cert === undefined ? null : isValidAt(cert.path, now),
      opens: o.status === 'opened',
      status: o.status,
      hash: o.hash,
      hashMatchesSignType: o.hash === null || wanted === null ? null : o.hash === wanted,
      recoveredDigest: o.digest === null ? null : o.digest.toString('hex'),
    });
  }
  // In certificate mode the notification's alipay_cert_sn names the key; prefer it when it opens.
  const sn = parsed.fields['alipay_cert_sn'];
  let opener = keys.findIndex((k) => k.opens === true && sn !== undefined && k.certSn === sn);
  if (opener < 0) opener = keys.findIndex((k) => k.opens === true);
  if (opener < 0) return { keys, opener, hashesPerString: 1, matches: () => false };
  const { hash, digest } = opened[opener]! as { hash: string; digest: Buffer };
  // A SHA-256 signature is checked against the SHA-256 every candidate gets for the report anyway.
  if (hash === 'sha256') return { keys, opener, hashesPerString: 1, matches: (v) => v.sha256.equals(digest) };
  return { keys, opener, hashesPerString: 2, matches: (v) => budget.digest(hash, v.bytes).equals(digest) };
}
