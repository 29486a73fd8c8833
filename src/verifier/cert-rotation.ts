import type { X509Certificate } from 'node:crypto';
import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { certificatePath, isValidAt } from '../crypto/certificate-path.js';
import { importAlipayCertificate, type ImportedCertificate } from '../crypto/certificates.js';
import { AlipayCertRotationError, NotifySignatureError } from '../errors/index.js';
import type { ResolvedOptions } from './resolve-options.js';

/**
 * Fetches the PEM of Alipay's certificate with this `alipay_cert_sn`, e.g. with
 * `alipay.open.app.alipaycert.download`. `createAlipayClient(…).downloadAlipayCert` fits.
 *
 * @example
 * ```ts
 * const download: DownloadAlipayCert = client.downloadAlipayCert;
 * ```
 */
export type DownloadAlipayCert = (sn: string) => Promise<string>;

/** A certificate whose path up to the root is known. */
export type RotatedCertificate = ImportedCertificate & { readonly path: readonly X509Certificate[] };

/** Bounds on what unauthenticated input can make the rotation do. */
export interface CertRotationLimits {
  /** Downloads allowed per minute (a token bucket of this size). Default 3. */
  readonly downloadsPerMinute: number;
  /** How long an SN whose download failed is refused without asking again. Default 60 000 ms. */
  readonly failedTtlMs: number;
}

const DEFAULT_LIMITS: CertRotationLimits = Object.freeze({ downloadsPerMinute: 3, failedTtlMs: 60_000 });
// Alipay's SN is a 32-digit lowercase hex MD5: anything else is not worth a download.
const SN_SYNTAX = /^[0-9a-f]{32}$/;
const MAX_DOWNLOADED = 16;
const MAX_FAILED = 1024;

/** The certificates downloaded so far, and how to get one more. */
export interface CertRotation {
  /** The certificate with this SN, configured or downloaded already. */
  known(sn: string): RotatedCertificate | undefined;
  /** Downloaded certificates, oldest first. */
  downloaded(): readonly RotatedCertificate[];
  /**
   * Resolves with the certificate for `sn`: known, or downloaded, required to chain up to the
   * root, to be valid now and to carry that SN, then cached. One download per SN at a time;
   * downloads are rate-limited and failures remembered for a while, so that a flood of made-up SNs
   * costs a handful of downloads. Rejects with {@link AlipayCertRotationError}.
   */
  obtain(sn: string): Promise<RotatedCertificate>;
}

/**
 * The certificate store behind automatic rotation, shared by the verifier and the OpenAPI client.
 * Alipay rotates its signing certificate; the Java SDK downloads the new one and checks it against
 * the root (alipay-sdk-java-all `DefaultAlipayClient.checkResponseCertSign`); smartwalle/alipay
 * downloads without that check and under a global lock. Here each SN has its own single flight.
 *
 * @example
 * ```ts
 * const rotation = createCertRotation({ download: client.downloadAlipayCert, roots, now: () => new Date(), configured: [] });
 * const cert = await rotation.obtain(sn);
 * ```
 */
export function createCertRotation(options: {
  download: DownloadAlipayCert;
  roots: readonly X509Certificate[];
  now: () => Date;
  configured: readonly RotatedCertificate[];
  limits?: Partial<CertRotationLimits>;
}): CertRotation {
  const { download, roots, now, configured } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const fetched = new Map<string, RotatedCertificate>();
  const inFlight = new Map<string, Promise<RotatedCertificate>>();
  const failedUntil = new Map<string, number>();
  let tokens = limits.downloadsPerMinute;
  let refilledAt = now().getTime();

  const known = (sn: string): RotatedCertificate | undefined => configured.find((c) => c.sn === sn) ?? fetched.get(sn);

  const takeToken = (): boolean => {
    const t = now().getTime();
    tokens = Math.min(
      limits.downloadsPerMinute,
      tokens + (Math.max(0, t - refilledAt) * limits.downloadsPerMinute) / 60_000,
    );
    refilledAt = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  const check = (sn: string, pem: unknown): RotatedCertificate => {
    let cert: ImportedCertificate;
    try {
      if (typeof pem !== 'string') throw new TypeError('downloadAlipayCert must resolve to a PEM string');
      cert = importAlipayCertificate(pem, 'downloadAlipayCert');
    } catch (err) {
      throw new AlipayCertRotationError('unreadable', sn, { cause: err });
    }
    if (cert.sn !== sn) throw new AlipayCertRotationError('sn-mismatch', sn);
    const path = certificatePath(cert.cert, cert.chain, roots);
    if (path === null) throw new AlipayCertRotationError('untrusted', sn);
    if (!isValidAt(path, now())) throw new AlipayCertRotationError('expired', sn);
    return { ...cert, path };
  };

  const fetchOne = async (sn: string): Promise<RotatedCertificate> => {
    try {
      let pem: unknown;
      try {
        pem = await download(sn);
      } catch (err) {
        // A downloader that checked the certificate itself (ours does) already said why.
        if (err instanceof AlipayCertRotationError) throw err;
        throw new AlipayCertRotationError('download-failed', sn, { cause: err });
      }
      const cert = check(sn, pem);
      if (fetched.size >= MAX_DOWNLOADED) fetched.delete(fetched.keys().next().value!);
      fetched.set(sn, cert);
      return cert;
    } catch (err) {
      if (failedUntil.size >= MAX_FAILED) failedUntil.delete(failedUntil.keys().next().value!);
      failedUntil.set(sn, now().getTime() + limits.failedTtlMs);
      throw err;
    } finally {
      inFlight.delete(sn);
    }
  };

  return {
    known,
    downloaded: () => [...fetched.values()],
    obtain(sn) {
      const hit = known(sn);
      if (hit !== undefined) return Promise.resolve(hit);
      const running = inFlight.get(sn);
      if (running !== undefined) return running;
      if (!SN_SYNTAX.test(sn)) return Promise.reject(new AlipayCertRotationError('not-an-sn', sn));
      const until = failedUntil.get(sn);
      if (until !== undefined && until > now().getTime())
        return Promise.reject(new AlipayCertRotationError('recently-failed', sn));
      if (!takeToken()) return Promise.reject(new AlipayCertRotationError('rate-limited', sn));
      const flight = fetchOne(sn);
      inFlight.set(sn, flight);
      return flight;
    },
  };
}

/** The verifier's use of the rotation: the options to verify one notification with. */
export interface VerifierCertRotation {
  /** Synchronous path: downloaded certificates are used, an unknown SN is `ERR_CERT_NOT_FOUND`. */
  optionsFor(parsed: ParsedNotifyBody): ResolvedOptions;
  /** Asynchronous path: an unknown SN is downloaded first. */
  optionsForAsync(parsed: ParsedNotifyBody): Promise<ResolvedOptions>;
}

/**
 * Sets up rotation for a verifier when `downloadAlipayCert` is given (`undefined` otherwise).
 * The root is then mandatory: a downloaded certificate is trusted only through it.
 *
 * @example
 * ```ts
 * const rotation = certRotationFor(resolved);
 * const opts = rotation === undefined ? resolved : await rotation.optionsForAsync(parsed);
 * ```
 */
export function certRotationFor(resolved: ResolvedOptions): VerifierCertRotation | undefined {
  const { downloadAlipayCert: download, roots } = resolved;
  // resolveOptions has checked both: a function, and the root it needs.
  if (download === undefined || roots === undefined) return undefined;
  const rotation = createCertRotation({ download, roots, now: resolved.now, configured: resolved.certs });
  let withDownloaded = resolved;
  let count = 0;
  const current = (): ResolvedOptions => {
    const extra = rotation.downloaded();
    if (extra.length !== count || extra.some((c) => !withDownloaded.certs.includes(c))) {
      withDownloaded = { ...resolved, certs: [...resolved.certs, ...extra] };
      count = extra.length;
    }
    return withDownloaded;
  };
  const snOf = (parsed: ParsedNotifyBody): string | undefined => {
    const sn = parsed.fields['alipay_cert_sn'];
    return sn === undefined || sn === '' ? undefined : sn;
  };
  return {
    optionsFor(parsed) {
      const sn = snOf(parsed);
      if (sn !== undefined && rotation.known(sn) === undefined) {
        throw new NotifySignatureError(
          'ERR_CERT_NOT_FOUND',
          'alipay_cert_sn names a certificate not downloaded yet; use verifyAsync (the adapters do), which downloads it',
        );
      }
      return current();
    },
    async optionsForAsync(parsed) {
      const sn = snOf(parsed);
      if (sn !== undefined) await rotation.obtain(sn);
      return current();
    },
  };
}
