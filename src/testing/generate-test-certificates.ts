import { randomBytes } from 'node:crypto';
import { certificateSnOfPem, rootCertificateSn } from '../crypto/certificates.js';
import { spkiDerOf } from '../crypto/import-public-key.js';
import { rsaSign } from '../crypto/sign.js';
import {
  bitString,
  bool,
  explicit,
  integer,
  nul,
  octets,
  oid,
  printable,
  seq,
  set,
  tlv,
  utcTime,
  utf8,
} from './der.js';
import {
  generateTestKeyPair,
  signNotification,
  type SignedNotification,
  type SignNotificationOptions,
} from './sign-notification.js';

/** A throwaway certificate-mode setup (公钥证书模式) that plays Alipay's. */
export interface TestCertificates {
  /** PKCS#8 PEM private key of the "Alipay" certificate: signs test notifications. */
  readonly privateKey: string;
  /** Stands in for `alipayCertPublicKey_RSA2.crt`: give it as `alipayPublicCert`. */
  readonly alipayPublicCert: string;
  /** Stands in for `alipayRootCert.crt`: give it as `alipayRootCert`. */
  readonly alipayRootCert: string;
  /** The `alipay_cert_sn` of {@link alipayPublicCert}, computed as Alipay computes it. */
  readonly alipayCertSn: string;
  /** The `alipay_root_cert_sn` of {@link alipayRootCert}. */
  readonly alipayRootCertSn: string;
}

/** Options of {@link generateTestCertificates}. */
export interface GenerateTestCertificatesOptions {
  /** Start of validity; default one day ago. */
  validFrom?: Date;
  /** End of validity; default in ten years. */
  validTo?: Date;
  /** RSA modulus size; default 2048. */
  bits?: number;
  /**
   * The extensions of the "Alipay" certificate. By default, what Alipay's own
   * `alipayCertPublicKey_RSA2.crt` carries: key usage digitalSignature, nonRepudiation,
   * keyEncipherment and dataEncipherment, no basicConstraints. To test that the verifier refuses a
   * CA as `alipayPublicCert` (`ERR_CONFIG`), give `{ ca: true, keyUsage: ['keyCertSign', 'cRLSign'] }`
   * (as Alipay's CAs) or `{ keyUsage: ['keyCertSign'] }`. `ca`: basicConstraints CA:TRUE or
   * CA:FALSE, left out when undefined; `keyUsage`: at least one bit, left out when undefined; `{}`
   * makes a certificate with no extensions at all.
   */
  leafExtensions?: {
    ca?: boolean;
    keyUsage?: readonly (
      | 'digitalSignature'
      | 'nonRepudiation'
      | 'keyEncipherment'
      | 'dataEncipherment'
      | 'keyAgreement'
      | 'keyCertSign'
      | 'cRLSign'
    )[];
  };
}

const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), nul());

// Attribute order as in Alipay's issuers (C, O, OU, CN), so that the SN's RFC 2253 form is the same shape.
function name(cn: string): Buffer {
  const rdn = (type: string, value: Buffer): Buffer => set(seq(oid(type), value));
  return seq(
    rdn('2.5.4.6', printable('CN')),
    rdn('2.5.4.10', utf8('Test Alipay (alipay-refund-notify)')),
    rdn('2.5.4.11', utf8('Certification Authority')),
    rdn('2.5.4.3', utf8(cn)),
  );
}

// RFC 5280 §4.2.1.3 KeyUsage bits, numbered from the first byte's high bit.
const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

const BASIC_CONSTRAINTS_CA = seq(oid('2.5.29.19'), bool(true), octets(seq(bool(true))));

type LeafExtensions = NonNullable<GenerateTestCertificatesOptions['leafExtensions']>;

/** RFC 5280 §4.2.1.3 keyUsage (critical) and §4.2.1.9 basicConstraints (critical when CA:TRUE). */
function extensionsOf(wanted: LeafExtensions): Buffer[] {
  const out: Buffer[] = [];
  // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, … }: DER leaves a FALSE default out.
  if (wanted.ca !== undefined) out.push(wanted.ca ? BASIC_CONSTRAINTS_CA : seq(oid('2.5.29.19'), octets(seq())));
  if (wanted.keyUsage !== undefined) {
    const byte = wanted.keyUsage.reduce((b, n) => b | (0x80 >> KEY_USAGE_BITS[n]), 0);
    let unused = 0;
    while (unused < 7 && (byte & (1 << unused)) === 0) unused++;
    // DER drops the trailing zero bits of a named-bit BIT STRING (X.690 §11.2.2).
    out.push(seq(oid('2.5.29.15'), bool(true), octets(tlv(0x03, Buffer.from([unused, byte])))));
  }
  return out;
}

const ALIPAY_LEAF: LeafExtensions = {
  keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment'],
};

function certificate(opts: {
  issuer: string;
  subject: string;
  publicKeyPem: string;
  signerPem: string;
  from: Date;
  to: Date;
  extensions: readonly Buffer[];
}): string {
  const spki = spkiDerOf(opts.publicKeyPem);
  const extensions = opts.extensions.length === 0 ? [] : [explicit(3, seq(...opts.extensions))];
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    SHA256_WITH_RSA,
    name(opts.issuer),
    seq(utcTime(opts.from), utcTime(opts.to)),
    name(opts.subject),
    spki,
    ...extensions,
  );
  const signature = rsaSign('sha256', tbs, opts.signerPem);
  const der = seq(tbs, SHA256_WITH_RSA, bitString(signature));
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/**
 * Generates a throwaway root certificate and an "Alipay" certificate issued by it, for testing
 * certificate mode (公钥证书模式): the verifier is given `alipayPublicCert` and `alipayRootCert`,
 * notifications carry `alipay_cert_sn`.
 *
 * @example
 * ```ts
 * import { generateTestCertificates, signNotificationWithCertificate, buildRefundFields } from 'alipay-refund-notify/testing';
 * const certs = generateTestCertificates();
 * const verifier = createNotifyVerifier({ alipayPublicCert: certs.alipayPublicCert, alipayRootCert: certs.alipayRootCert, appId: '2021000000000000' });
 * const { body } = signNotificationWithCertificate(buildRefundFields('partial'), certs);
 * verifier.verifyRefund(body);
 * ```
 */
export function generateTestCertificates(options: GenerateTestCertificatesOptions = {}): TestCertificates {
  const from = options.validFrom ?? new Date(Date.now() - 86_400_000);
  const to = options.validTo ?? new Date(Date.now() + 10 * 365 * 86_400_000);
  const root = generateTestKeyPair(options.bits);
  const leaf = generateTestKeyPair(options.bits);
  const rootName = 'Test Alipay Root CA';
  const alipayRootCert = certificate({
    issuer: rootName,
    subject: rootName,
    publicKeyPem: root.publicKey,
    signerPem: root.privateKey,
    from,
    to,
    extensions: [BASIC_CONSTRAINTS_CA],
  });
  const alipayPublicCert = certificate({
    issuer: rootName,
    subject: 'Test Alipay Notify Certificate',
    publicKeyPem: leaf.publicKey,
    signerPem: root.privateKey,
    from,
    to,
    extensions: extensionsOf(options.leafExtensions ?? ALIPAY_LEAF),
  });
  return {
    privateKey: leaf.privateKey,
    alipayPublicCert,
    alipayRootCert,
    alipayCertSn: certificateSnOfPem(alipayPublicCert),
    alipayRootCertSn: rootCertificateSn(alipayRootCert),
  };
}

/**
 * Signs notification fields in certificate mode: adds `alipay_cert_sn` (the SN of the signing
 * certificate, which picks the verifying certificate) and signs with the certificate's key. The
 * SN is part of the signed string, as the Java, .NET, PHP and Node SDKs have it.
 *
 * @example
 * ```ts
 * const certs = generateTestCertificates();
 * const { body } = signNotificationWithCertificate(buildRefundFields('full'), certs);
 * ```
 */
export function signNotificationWithCertificate(
  fields: Readonly<Record<string, string>>,
  certs: Pick<TestCertificates, 'privateKey' | 'alipayCertSn'>,
  options: Omit<SignNotificationOptions, 'privateKey' | 'md5Key'> = {},
): SignedNotification {
  return signNotification(
    { ...fields, alipay_cert_sn: certs.alipayCertSn },
    { ...options, privateKey: certs.privateKey },
  );
}

/** A throwaway root that issues certificates chained to it (see {@link createTestCertificateAuthority}). */
export interface TestCertificateAuthority {
  /** The root certificate's PEM: give it as `alipayRootCert`. */
  readonly rootCert: string;
  /** Its `alipay_root_cert_sn`. */
  readonly rootCertSn: string;
  /** Issues a certificate for a fresh key pair, signed by this root. */
  issue(
    subject: string,
    options?: GenerateTestCertificatesOptions,
  ): { readonly privateKey: string; readonly cert: string; readonly sn: string };
}

/**
 * Creates a throwaway root certificate that can issue any number of certificates chained to it,
 * so that a test can rotate "Alipay's" certificate (the fake gateway does).
 *
 * @example
 * ```ts
 * const ca = createTestCertificateAuthority();
 * const next = ca.issue('Test Alipay Notify Certificate 2');
 * ```
 */
export function createTestCertificateAuthority(
  options: GenerateTestCertificatesOptions = {},
): TestCertificateAuthority {
  const window = (o: GenerateTestCertificatesOptions): { from: Date; to: Date } => ({
    from: o.validFrom ?? new Date(Date.now() - 86_400_000),
    to: o.validTo ?? new Date(Date.now() + 10 * 365 * 86_400_000),
  });
  const root = generateTestKeyPair(options.bits);
  const rootName = 'Test Alipay Root CA';
  const rootCert = certificate({
    issuer: rootName,
    subject: rootName,
    publicKeyPem: root.publicKey,
    signerPem: root.privateKey,
    ...window(options),
    extensions: [BASIC_CONSTRAINTS_CA],
  });
  return {
    rootCert,
    rootCertSn: rootCertificateSn(rootCert),
    issue(subject, issueOptions = {}) {
      const leaf = generateTestKeyPair(issueOptions.bits ?? options.bits);
      const cert = certificate({
        issuer: rootName,
        subject,
        publicKeyPem: leaf.publicKey,
        signerPem: root.privateKey,
        ...window(issueOptions),
        extensions: extensionsOf(issueOptions.leafExtensions ?? ALIPAY_LEAF),
      });
      return { privateKey: leaf.privateKey, cert, sn: certificateSnOfPem(cert) };
    },
  };
}
