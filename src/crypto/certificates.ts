/** Alipay's public-key-certificate mode: reading certificates and computing Alipay's certificate SNs. */
import { createHash, X509Certificate } from 'node:crypto';
import { NotifyConfigError } from '../errors/index.js';
import { certificateUsage, isRsaSigned } from './der-reader.js';
import { importAlipayPublicKey, type ImportedPublicKey } from './import-public-key.js';

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
  const text =
    typeof pem === 'string' ? pem : Buffer.from(pem.buffer, pem.byteOffset, pem.byteLength).toString('latin1');
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
  return createHash('md5')
    .update(issuer + serial, 'utf8')
    .digest('hex');
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
  if (ca)
    return `is a CA certificate (basicConstraints CA:TRUE), not the certificate Alipay signs notifications with: ${hint}`;
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

/** Alipay's SN of the first certificate in a PEM. */
export function certificateSnOfPem(pem: string | Uint8Array): string {
  return certificateSn(parseCertificates(pem, 'certificate')[0]!);
}

/** The public key of the first certificate in a PEM, as SPKI PEM and bare base64. */
export function certificatePublicKey(pem: string | Uint8Array): { pem: string; base64: string } {
  const key = parseCertificates(pem, 'certificate')[0]!.publicKey;
  return {
    pem: key.export({ format: 'pem', type: 'spki' }).toString(),
    base64: key.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}
