import type { X509Certificate } from 'node:crypto';
import { DEFAULT_MAX_BODY_BYTES } from '../body/parse-notify-body.js';
import { certificatePath } from '../crypto/certificate-path.js';
import { importAlipayCertificate, parseCertificates, type ImportedCertificate } from '../crypto/certificates.js';
import {
  importAlipayPublicKey,
  type AlipayPublicKeyInput,
  type ImportedPublicKey,
} from '../crypto/import-public-key.js';
import { NotifyConfigError } from '../errors/index.js';
import type { SignType } from '../types.js';

/**
 * How a verifier checks notifications. Give the Alipay public key (or certificate) and your
 * `appId`; everything else has safe defaults.
 *
 * @example
 * ```ts
 * const options: NotifyVerifierOptions = {
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!, // 支付宝公钥, not your app public key
 *   appId: '2021000000000000',
 * };
 * ```
 */
export interface NotifyVerifierOptions {
  /**
   * The Alipay public key (支付宝公钥): bare base64 as copied from the console, PEM (SPKI or
   * PKCS#1), DER or a `KeyObject`. Give several during a key rotation: any of them may verify.
   */
  alipayPublicKey?: AlipayPublicKeyInput | readonly AlipayPublicKeyInput[];
  /**
   * Public-key-certificate mode: the PEM of `alipayCertPublicKey_RSA2.crt` (or several, for
   * rotation). A notification's `alipay_cert_sn`, when present, picks the certificate.
   */
  alipayPublicCert?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** `alipayRootCert.crt`; when given, each `alipayPublicCert` must chain up to it. */
  alipayRootCert?: string | Uint8Array;
  /** Clock for certificate validity; inject one to re-verify archived notifications. Default `() => new Date()`. */
  now?: () => Date;
  /** Legacy MAPI MD5 partner key (安全校验码); only used when `signTypes` lists `'MD5'`. */
  md5Key?: string;
  /** Your app id(s). A notification for another app is `ERR_APP_ID_MISMATCH`. Required unless `partner` is given. */
  appId?: string | readonly string[];
  /**
   * Legacy MAPI partner id(s) (`2088…`). Notifications without `app_id` are accepted only when this
   * is set, and their `seller_id`, when present, must be one of these.
   */
  partner?: string | readonly string[];
  /**
   * Optional: `trade_status_sync` notifications must carry one of these `seller_id`s (one without
   * `seller_id` is refused).
   */
  sellerId?: string | readonly string[];
  /**
   * Accept legacy MAPI `batch_refund_notify` notifications signed with RSA. They name no seller,
   * and Alipay's legacy RSA key is shared by every merchant, so the signature cannot tell that the
   * batch is yours: confirm each one with `confirmNotifyId` before acting on it. Default false
   * (refused as `ERR_SELLER_ID_MISMATCH`); MD5-signed ones need no opt-in.
   */
  acceptRsaBatchRefund?: boolean;
  /** Signature types accepted. Default `['RSA2']`; `'RSA'` (SHA-1) and `'MD5'` only when listed. */
  signTypes?: readonly SignType[];
  /** Largest body accepted, in bytes. Default 65536. */
  maxBodyBytes?: number;
  /**
   * Refuse (`ERR_NOTIFY_EXPIRED`) a notification whose signed `notify_time` (`utc_timestamp` for
   * message-service messages) is older than this many milliseconds, or more than five minutes in
   * the future, measured with `now`. Off by default here, so that archived notifications stay
   * verifiable; the HTTP adapters default it to 25 hours (Alipay's last retry comes about
   * 24 h 22 min after the first), so that a replayed old body cannot run a handler again.
   */
  maxNotifyAgeMs?: number;
  /**
   * Certificate mode: fetches a certificate Alipay has rotated to, by its `alipay_cert_sn` (e.g.
   * `createAlipayClient(…).downloadAlipayCert`). On the asynchronous paths (`verifyAsync`, the
   * adapters) a notification naming an unknown SN has its certificate downloaded, checked against
   * `alipayRootCert` (then required) and its validity, cached, and used. Downloads are
   * rate-limited and single-flight per SN.
   */
  downloadAlipayCert?: (sn: string) => Promise<string>;
}

/** Options checked and keys imported, once per verifier. */
export interface ResolvedOptions {
  readonly keys: readonly ImportedPublicKey[];
  readonly certs: readonly (ImportedCertificate & { readonly path: readonly X509Certificate[] })[];
  readonly now: () => Date;
  readonly md5Key: string | undefined;
  readonly appIds: ReadonlySet<string>;
  readonly partners: ReadonlySet<string>;
  readonly sellerIds: ReadonlySet<string> | undefined;
  readonly acceptRsaBatchRefund: boolean;
  readonly signTypes: ReadonlySet<SignType>;
  readonly maxBodyBytes: number;
  /** Undefined: no freshness check. */
  readonly maxNotifyAgeMs: number | undefined;
  /** `alipayRootCert`, read once (the chain check and certificate rotation both use it). */
  readonly roots: readonly X509Certificate[] | undefined;
  /** Certificate rotation's download, checked; undefined when rotation is off. */
  readonly downloadAlipayCert: ((sn: string) => Promise<string>) | undefined;
}

const SIGN_TYPES: readonly SignType[] = ['RSA2', 'RSA', 'MD5'];
const keyCache = new Map<string, ImportedPublicKey>();
const KEY_CACHE_SIZE = 64;

function list<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function idSet(value: string | readonly string[] | undefined, option: string): Set<string> {
  const ids = list(value);
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0 || id.trim() !== id)
      throw new NotifyConfigError(option, 'must be non-empty strings without surrounding spaces');
  }
  return new Set(ids);
}

// Merchants often build options inline on every call; a bounded cache keeps that from
// re-importing the key each time (importing a key costs far more than a verification).
function cachedKey(input: AlipayPublicKeyInput): ImportedPublicKey {
  if (typeof input !== 'string') return importAlipayPublicKey(input);
  let hit = keyCache.get(input);
  if (hit === undefined) {
    hit = importAlipayPublicKey(input);
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(input, hit);
  }
  return hit;
}

/** Imports one or several Alipay public keys through the cache; a bad one is `ERR_CONFIG`. */
export function importPublicKeys(
  input: AlipayPublicKeyInput | readonly AlipayPublicKeyInput[] | undefined,
): ImportedPublicKey[] {
  return list(input).map(cachedKey);
}

/**
 * Validates options and imports keys, once: the verifier, the diagnosis and the adapters all work
 * from the one object this returns. Every problem is `ERR_CONFIG`.
 */
export function resolveOptions(options: NotifyVerifierOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new NotifyConfigError('options', 'must be an object');
  const signTypes = new Set<SignType>(options.signTypes ?? ['RSA2']);
  if (signTypes.size === 0) throw new NotifyConfigError('signTypes', 'must list at least one signature type');
  for (const t of signTypes)
    if (!SIGN_TYPES.includes(t)) throw new NotifyConfigError('signTypes', `unknown signature type`);

  const keys = importPublicKeys(options.alipayPublicKey);
  const roots =
    options.alipayRootCert === undefined ? undefined : parseCertificates(options.alipayRootCert, 'alipayRootCert');
  const certs = list(options.alipayPublicCert).map((pem) => {
    const cert = importAlipayCertificate(pem);
    // Without a root, only the leaf's own validity is checked: the other certificates in the PEM
    // are not proven to be its issuers (one real bundle carries an unrelated one).
    const path = roots === undefined ? [cert.cert] : certificatePath(cert.cert, cert.chain, roots);
    if (path === null)
      throw new NotifyConfigError('alipayPublicCert', 'certificate does not chain up to alipayRootCert');
    return { ...cert, path };
  });
  const wantsRsa = signTypes.has('RSA2') || signTypes.has('RSA');
  if (wantsRsa && keys.length === 0 && certs.length === 0) {
    throw new NotifyConfigError('alipayPublicKey', 'give the Alipay public key (or alipayPublicCert)');
  }
  const md5Key = options.md5Key;
  if (signTypes.has('MD5') && (typeof md5Key !== 'string' || md5Key.length === 0)) {
    throw new NotifyConfigError('md5Key', "required when signTypes lists 'MD5'");
  }
  const appIds = idSet(options.appId, 'appId');
  const partners = idSet(options.partner, 'partner');
  if (appIds.size === 0 && partners.size === 0)
    throw new NotifyConfigError('appId', 'required: the app id(s) notifications must be addressed to');
  const sellerIds = options.sellerId === undefined ? undefined : idSet(options.sellerId, 'sellerId');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0)
    throw new NotifyConfigError('maxBodyBytes', 'must be a positive integer');
  const now = options.now ?? (() => new Date());
  if (typeof now !== 'function') throw new NotifyConfigError('now', 'must be a function returning a Date');
  const maxNotifyAgeMs = options.maxNotifyAgeMs;
  if (maxNotifyAgeMs !== undefined && (!Number.isSafeInteger(maxNotifyAgeMs) || maxNotifyAgeMs <= 0)) {
    throw new NotifyConfigError('maxNotifyAgeMs', 'must be a positive integer number of milliseconds');
  }
  const acceptRsaBatchRefund = options.acceptRsaBatchRefund ?? false;
  if (typeof acceptRsaBatchRefund !== 'boolean')
    throw new NotifyConfigError('acceptRsaBatchRefund', 'must be a boolean');
  const downloadAlipayCert = options.downloadAlipayCert;
  if (downloadAlipayCert !== undefined) {
    if (typeof downloadAlipayCert !== 'function')
      throw new NotifyConfigError('downloadAlipayCert', 'must be a function (sn) => Promise<PEM string>');
    if (roots === undefined) {
      throw new NotifyConfigError(
        'alipayRootCert',
        'required with downloadAlipayCert: a downloaded certificate is trusted only if it chains up to the root',
      );
    }
  }
  return {
    keys,
    certs,
    now,
    md5Key,
    appIds,
    partners,
    sellerIds,
    signTypes,
    maxBodyBytes,
    maxNotifyAgeMs,
    acceptRsaBatchRefund,
    roots,
    downloadAlipayCert,
  };
}
