import { certificateSnOfPem } from '../../crypto/certificates.js';
import { createTestCertificateAuthority, type TestCertificateAuthority } from '../generate-test-certificates.js';
import { generateTestKeyPair, type TestKeyPair } from '../sign-notification.js';

/** The key (and, in certificate mode, the certificate) the gateway signs with now. */
export interface GatewaySigner {
  readonly privateKey: string;
  readonly sn: string | undefined;
  readonly cert: string | undefined;
}

/** The gateway's keys and certificates: what it signs with, and what it lets clients check. */
export interface GatewayKeys {
  /** Certificate mode: the root every genuine "Alipay" certificate is issued by. */
  readonly ca: TestCertificateAuthority | undefined;
  /** Certificate mode, with a generated app key: the app's certificate, issued by the same root. */
  readonly appCert: string | undefined;
  /** The SN requests must name as `app_cert_sn`, when there is an app certificate. */
  readonly appCertSn: string | undefined;
  /** Key mode: "Alipay's" key pair. */
  readonly keyPair: TestKeyPair | undefined;
  /** Every "Alipay" certificate issued, by SN, first one first: what the certificate download serves. */
  readonly issued: ReadonlyMap<string, string>;
  /** What answers and notifications are signed with now (rotation changes it). */
  readonly signer: GatewaySigner;
  /** Issues a new "Alipay" certificate and signs with it from now on. */
  rotate(options?: { trusted?: boolean; validTo?: Date }): { readonly sn: string; readonly cert: string };
}

const ALIPAY_SUBJECT = 'Test Alipay Notify Certificate';

/**
 * Creates the fake gateway's signing material. Key mode: one "Alipay" key pair. Certificate mode:
 * one root, the first "Alipay" certificate under it and, when the app key was generated (so that
 * the gateway can hand out complete client options), an app certificate under the same root.
 *
 * @example
 * ```ts
 * const keys = createGatewayKeys('certificate', '2021000000000000', generateTestKeyPair());
 * const before = keys.signer.sn;
 * keys.rotate(); // keys.signer.sn !== before, and keys.issued holds both certificates
 * ```
 */
export function createGatewayKeys(
  mode: 'key' | 'certificate',
  appId: string,
  generatedApp: TestKeyPair | undefined,
): GatewayKeys {
  const issued = new Map<string, string>();
  let signer: GatewaySigner;
  let ca: TestCertificateAuthority | undefined;
  let appCert: string | undefined;
  let keyPair: TestKeyPair | undefined;
  if (mode === 'certificate') {
    ca = createTestCertificateAuthority();
    const first = ca.issue(ALIPAY_SUBJECT);
    issued.set(first.sn, first.cert);
    signer = { privateKey: first.privateKey, sn: first.sn, cert: first.cert };
    if (generatedApp !== undefined) {
      // Only its SN matters (requests must name it as `app_cert_sn`); requests are checked
      // against the app's public key, so the certificate's own key pair is a fresh one.
      appCert = ca.issue(`Test App ${appId}`).cert;
    }
  } else {
    keyPair = generateTestKeyPair();
    signer = { privateKey: keyPair.privateKey, sn: undefined, cert: undefined };
  }
  const root = ca; // a `const`, so that `rotate` can narrow it
  return {
    ca,
    appCert,
    appCertSn: appCert === undefined ? undefined : certificateSnOfPem(appCert),
    keyPair,
    issued,
    get signer() {
      return signer;
    },
    rotate(o = {}) {
      if (root === undefined) throw new TypeError('rotateCertificate() needs mode: certificate');
      // `trusted: false`: another root with the same names, which clients must refuse.
      const issuer = o.trusted === false ? createTestCertificateAuthority() : root;
      const next = issuer.issue(ALIPAY_SUBJECT, o.validTo === undefined ? {} : { validTo: o.validTo });
      issued.set(next.sn, next.cert);
      signer = { privateKey: next.privateKey, sn: next.sn, cert: next.cert };
      return { sn: next.sn, cert: next.cert };
    },
  };
}
