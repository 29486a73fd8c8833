import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { certificatePath } from '../crypto/certificate-path.js';
import {
  certificateSnOfPem,
  importAlipayCertificate,
  parseCertificates,
  rootCertificateSn,
} from '../crypto/certificates.js';
import {
  importAlipayPublicKey,
  type AlipayPublicKeyInput,
  type ImportedPublicKey,
} from '../crypto/import-public-key.js';
import { NotifyConfigError } from '../errors/index.js';
import type { RotatedCertificate } from '../verifier/cert-rotation.js';

/**
 * Alipay's production gateway (Alipay open platform docs, 公共请求参数): the default.
 *
 * @example
 * ```ts
 * createAlipayClient({ appId, privateKey, alipayPublicKey, gateway: ALIPAY_GATEWAY_URL });
 * ```
 */
export const ALIPAY_GATEWAY_URL = 'https://openapi.alipay.com/gateway.do';
/**
 * Alipay's sandbox gateway (沙箱环境; the old `openapi.alipaydev.com` host is retired).
 *
 * @example
 * ```ts
 * createAlipayClient({ appId: SANDBOX_APP_ID, privateKey, alipayPublicKey, sandbox: true });
 * ```
 */
export const ALIPAY_SANDBOX_GATEWAY_URL = 'https://openapi-sandbox.dl.alipaydev.com/gateway.do';

/**
 * How to reach and authenticate to Alipay's OpenAPI gateway. Give `alipayPublicKey` (public-key
 * mode), or `alipayPublicCert` + `appCert` + `alipayRootCert` (public-key-certificate mode).
 *
 * @example
 * ```ts
 * const options: AlipayClientOptions = { appId: '2021000000000000', privateKey: APP_PRIVATE_KEY, alipayPublicKey: ALIPAY_PUBLIC_KEY };
 * ```
 */
export interface AlipayClientOptions {
  /** Your app id. */
  appId: string;
  /** The app private key (应用私钥): PKCS#8 or PKCS#1, PEM or bare base64, or a `KeyObject`. */
  privateKey: string | KeyObject;
  /** Public-key mode: the Alipay public key (支付宝公钥) that verifies responses. */
  alipayPublicKey?: AlipayPublicKeyInput;
  /** Certificate mode: `alipayCertPublicKey_RSA2.crt`. */
  alipayPublicCert?: string | Uint8Array;
  /** Certificate mode: your `appCertPublicKey_<appId>.crt`; its SN is sent as `app_cert_sn`. */
  appCert?: string | Uint8Array;
  /** Certificate mode: `alipayRootCert.crt`; its SN is sent as `alipay_root_cert_sn`, and downloaded certificates must chain up to it. */
  alipayRootCert?: string | Uint8Array;
  /** The gateway URL. Default {@link ALIPAY_GATEWAY_URL} (or the sandbox with `sandbox: true`); any URL for tests. */
  gateway?: string;
  /** Use Alipay's sandbox gateway. Default false. */
  sandbox?: boolean;
  /** Give up on a call after this many milliseconds. Default 15 000. */
  timeoutMs?: number;
  /** Clock for the request timestamp and certificate validity. Default `() => new Date()`. */
  now?: () => Date;
}

/** Options checked and keys imported, once per client. */
export interface ResolvedClientOptions {
  readonly appId: string;
  readonly privateKey: KeyObject;
  readonly keys: readonly ImportedPublicKey[];
  readonly certs: readonly RotatedCertificate[];
  readonly roots: readonly X509Certificate[] | undefined;
  readonly appCertSn: string | undefined;
  readonly rootCertSn: string | undefined;
  readonly gateway: string;
  readonly timeoutMs: number;
  readonly now: () => Date;
}

function importPrivateKey(input: unknown): KeyObject {
  try {
    if (typeof input === 'object' && input !== null && (input as KeyObject).type === 'private')
      return input as KeyObject;
    if (typeof input !== 'string') throw new TypeError('not a string');
    const text = input.trim();
    if (text.startsWith('-----BEGIN')) return createPrivateKey(text);
    const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    try {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch {
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  } catch (err) {
    throw new NotifyConfigError('privateKey', 'not a readable RSA private key (PKCS#8 or PKCS#1, PEM or bare base64)', {
      cause: err,
    });
  }
}

/**
 * Checks client options and imports keys; every problem is `ERR_CONFIG`.
 *
 * @example
 * ```ts
 * const resolved = resolveClientOptions({ appId, privateKey, alipayPublicKey });
 * ```
 */
export function resolveClientOptions(options: AlipayClientOptions): ResolvedClientOptions {
  if (options === null || typeof options !== 'object') throw new NotifyConfigError('options', 'must be an object');
  const { appId } = options;
  if (typeof appId !== 'string' || appId === '' || appId.trim() !== appId)
    throw new NotifyConfigError('appId', 'required: your app id');
  const privateKey = importPrivateKey(options.privateKey);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new NotifyConfigError('privateKey', 'must be an RSA key');
  const keys = options.alipayPublicKey === undefined ? [] : [importAlipayPublicKey(options.alipayPublicKey)];
  const roots =
    options.alipayRootCert === undefined ? undefined : parseCertificates(options.alipayRootCert, 'alipayRootCert');
  const certMode = options.alipayPublicCert !== undefined || options.appCert !== undefined;
  let certs: RotatedCertificate[] = [];
  if (certMode) {
    if (options.alipayPublicCert === undefined || options.appCert === undefined || roots === undefined) {
      throw new NotifyConfigError(
        'alipayPublicCert',
        'certificate mode needs alipayPublicCert, appCert and alipayRootCert',
      );
    }
    const cert = importAlipayCertificate(options.alipayPublicCert);
    const path = certificatePath(cert.cert, cert.chain, roots);
    if (path === null)
      throw new NotifyConfigError('alipayPublicCert', 'certificate does not chain up to alipayRootCert');
    certs = [{ ...cert, path }];
  } else if (keys.length === 0) {
    throw new NotifyConfigError(
      'alipayPublicKey',
      'give the Alipay public key, or alipayPublicCert + appCert + alipayRootCert',
    );
  }
  let gateway = options.gateway ?? (options.sandbox === true ? ALIPAY_SANDBOX_GATEWAY_URL : ALIPAY_GATEWAY_URL);
  try {
    gateway = new URL(gateway).toString();
  } catch (err) {
    throw new NotifyConfigError('gateway', 'not a URL', { cause: err });
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
    throw new NotifyConfigError('timeoutMs', 'must be a positive integer number of milliseconds');
  const now = options.now ?? (() => new Date());
  if (typeof now !== 'function') throw new NotifyConfigError('now', 'must be a function returning a Date');
  return {
    appId,
    privateKey,
    keys,
    certs,
    roots,
    appCertSn: certMode ? certificateSnOfPem(options.appCert!) : undefined,
    rootCertSn: certMode ? rootCertificateSn(options.alipayRootCert!) : undefined,
    gateway,
    timeoutMs,
    now,
  };
}
