import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { ScannedBody } from '../body/scanned-body.js';
import { documentedSignContent } from '../canonical/assemble-sign-content.js';
import { buildSignContent, hasEmptyValues, type SignContentRule } from '../canonical/build-sign-content.js';
import { isValidAt } from '../crypto/certificate-path.js';
import { type ImportedPublicKey } from '../crypto/import-public-key.js';
import { verifyMd5Signature } from '../crypto/verify-md5.js';
import {
  decodeSignatureBytes,
  SIGN_TYPE_HASH,
  verifyRsaSignature,
  verifyRsaSignatureAsync,
} from '../crypto/verify-rsa.js';
import { NotifySignatureError } from '../errors/index.js';
import type { SignType } from '../types.js';
import type { ResolvedOptions } from './resolve-options.js';

/** Which key and which rule verified a notification. */
export interface SignatureMatch {
  readonly signType: SignType;
  readonly rule: SignContentRule;
  /** Fingerprint of the key that verified, or `'md5'`. */
  readonly fingerprint: string;
  /** The certificate SN, in certificate mode. */
  readonly certSn?: string;
}

/** The documented rule (https://opendocs.alipay.com/common/02mse7): `sign` and `sign_type` left out, empty values skipped. */
const DOCUMENTED_RULE: SignContentRule = Object.freeze({});

/**
 * The signed-string variants to try, the documented rule first, so that a genuine notification
 * costs one RSA operation. `sign_type` is kept only as a fallback for gateway messages (Java's
 * `rsaCheckV2`: the app gateway's `servicemarket_order_notify` signs it); empty values are kept
 * only as a fallback when some are present (the PHP and Node SDKs sign them, Java and .NET skip
 * them); in certificate mode only, `alipay_cert_sn` is tried in (as Java signs it), then left out
 * as smartwalle/alipay does — outside certificate mode it is never exempt, so that an unsigned copy
 * of it cannot ride along on a genuine notification (found by the fuzzer). A fallback still needs
 * a valid signature by a configured Alipay key over exactly the fields received, so trying it
 * weakens nothing; and whichever variant verifies, the content must have no second reading
 * (`findSecondReading`).
 */
export function candidateRules(parsed: ParsedNotifyBody, certMode: boolean): SignContentRule[] {
  const type = parsed.fields['notify_type'];
  let rules: SignContentRule[] = [DOCUMENTED_RULE];
  // A scanned body knows this already; asking `bytes` would build a view per field.
  if (parsed instanceof ScannedBody ? parsed.hasEmpty : hasEmptyValues(parsed)) rules.push({ keepEmpty: true });
  if (type !== 'trade_status_sync' && type !== 'batch_refund_notify' && parsed.fields['sign_type'] !== undefined) {
    rules = [...rules, ...rules.map((r) => ({ ...r, keepSignType: true }))];
  }
  if (certMode && parsed.fields['alipay_cert_sn'] !== undefined) {
    rules = rules.flatMap((r) => [r, { ...r, exclude: ['alipay_cert_sn'] }]);
  }
  return rules;
}

// The signed bytes under `rule`: the documented rule straight from the body's byte ranges (the hot
// path), any other through the general builder.
function signContent(body: ScannedBody, rule: SignContentRule): Buffer {
  return rule === DOCUMENTED_RULE ? documentedSignContent(body) : buildSignContent(body, rule);
}

// The `sign` field's signature, decoded once from its bytes.
function signatureOf(body: ScannedBody): Buffer {
  const i = body.indexOf('sign');
  return decodeSignatureBytes(body.src[i]!, body.from[i]!, body.to[i]!);
}

function rsaCandidates(
  parsed: ParsedNotifyBody,
  options: ResolvedOptions,
): readonly (ImportedPublicKey & { sn?: string })[] {
  const sn = parsed.fields['alipay_cert_sn'];
  if (sn !== undefined && sn !== '' && options.certs.length > 0) {
    const cert = options.certs.find((c) => c.sn === sn);
    if (cert === undefined)
      throw new NotifySignatureError(
        'ERR_CERT_NOT_FOUND',
        "no configured Alipay certificate has the notification's alipay_cert_sn",
      );
    return [cert];
  }
  return options.certs.length === 0 ? options.keys : [...options.keys, ...options.certs];
}

// sign present, sign_type accepted: the checks that need no key.
function acceptedSignType(parsed: ParsedNotifyBody, options: ResolvedOptions): SignType {
  const sign = parsed.fields['sign'];
  if (sign === undefined || sign === '')
    throw new NotifySignatureError('ERR_SIGNATURE_MISSING', 'notification has no sign field');
  // The algorithm is pinned by configuration (accepting whatever `sign_type` says would let a body choose its own algorithm): a notification without sign_type is
  // checked with the one type the verifier accepts, never guessed among several.
  const declared = parsed.fields['sign_type'] ?? (options.signTypes.size === 1 ? [...options.signTypes][0] : undefined);
  if (declared === undefined || !options.signTypes.has(declared as SignType)) {
    throw new NotifySignatureError(
      'ERR_SIGN_TYPE_UNSUPPORTED',
      'sign_type is missing or not accepted by this verifier',
      declared === undefined ? {} : { signType: declared },
    );
  }
  return declared as SignType;
}

// The key verified: in certificate mode the certificate must also be valid now.
function matchOf(
  key: ImportedPublicKey,
  rule: SignContentRule,
  signType: SignType,
  options: ResolvedOptions,
): SignatureMatch {
  const cert = options.certs.find((c) => c === key);
  if (cert !== undefined && !isValidAt(cert.path, options.now())) {
    throw new NotifySignatureError(
      'ERR_CERT_INVALID',
      'the Alipay certificate that verified is outside its validity period',
      { signType },
    );
  }
  return cert === undefined
    ? { signType, rule, fingerprint: key.fingerprint }
    : { signType, rule, fingerprint: key.fingerprint, certSn: cert.sn };
}

/**
 * Checks the notification's signature against the configured keys; throws a
 * {@link NotifySignatureError} with a short, generic message when it does not verify.
 * The documented rule (`candidateRules(…)[0]`, always `{}`) is tried before the fallbacks are even
 * worked out, so that a genuine notification pays for nothing else; `skipFirst` is for
 * {@link checkSignatureAsync}, which tried it already.
 */
export function checkSignature(parsed: ScannedBody, options: ResolvedOptions, skipFirst = false): SignatureMatch {
  const signType = acceptedSignType(parsed, options);
  const sign = parsed.fields['sign']!;
  let tryRule: (rule: SignContentRule) => SignatureMatch | undefined;
  if (signType === 'MD5') {
    tryRule = (rule) =>
      verifyMd5Signature(signContent(parsed, rule), options.md5Key!, sign)
        ? { signType, rule, fingerprint: 'md5' }
        : undefined;
  } else {
    const keys = rsaCandidates(parsed, options);
    const signature = signatureOf(parsed);
    tryRule = (rule) => {
      const i = verifyRsaSignature(SIGN_TYPE_HASH[signType], signContent(parsed, rule), signature, keys);
      return i < 0 ? undefined : matchOf(keys[i]!, rule, signType, options);
    };
  }
  const first = skipFirst ? undefined : tryRule(DOCUMENTED_RULE);
  if (first !== undefined) return first;
  for (const rule of candidateRules(parsed, options.certs.length > 0).slice(1)) {
    const match = tryRule(rule);
    if (match !== undefined) return match;
  }
  throw new NotifySignatureError('ERR_SIGNATURE_INVALID', 'signature does not verify', { signType });
}

/**
 * {@link checkSignature} with the RSA operation of the documented rule on libuv's thread pool, so
 * that it can run on another core (`npm run bench` measures both). The fallback rules and MD5 are
 * rare and stay synchronous.
 */
export async function checkSignatureAsync(parsed: ScannedBody, options: ResolvedOptions): Promise<SignatureMatch> {
  const signType = acceptedSignType(parsed, options);
  if (signType === 'MD5') return checkSignature(parsed, options);
  const keys = rsaCandidates(parsed, options);
  const i = await verifyRsaSignatureAsync(
    SIGN_TYPE_HASH[signType],
    documentedSignContent(parsed),
    signatureOf(parsed),
    keys,
  );
  return i >= 0 ? matchOf(keys[i]!, DOCUMENTED_RULE, signType, options) : checkSignature(parsed, options, true);
}
