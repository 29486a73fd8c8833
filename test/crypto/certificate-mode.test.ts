// Public-key-certificate mode (公钥证书模式): the real certificate vectors, root-chain checks with
// our own test CA (test/fixtures/certs/test-ca, made once with the openssl CLI by generate.sh),
// `alipay_cert_sn` selection, the two certificate error codes, and the refusal of a CA certificate
// as the signing one. Certificates expire: every test injects `now`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  AlipayNotifyError,
  createNotifyVerifier,
  diagnoseNotify,
  verifyNotify,
  verifyRefundNotify,
} from '../../src/index.js';
import { certificateSn } from '../../src/building-blocks.js';
import type { NotifyVerifierOptions } from '../../src/index.js';
import { certificatePath } from '../../src/crypto/certificate-path.js';
import { parseCertificates } from '../../src/crypto/certificates.js';
import {
  buildRefundFields,
  encodeFormBody,
  generateTestCertificates,
  signNotification,
  signNotificationWithCertificate,
} from '../../src/testing/index.js';
import { verified, type Vector } from '../support/vectors.js';
import { X509Certificate } from 'node:crypto';

const certs = new URL('../fixtures/certs/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, certs), 'utf8');
const ALIPAY_ROOT = read('alipayRootCert.crt');
const ROOT = read('test-ca/root.crt');
const INTERMEDIATE = read('test-ca/intermediate.crt');
const LEAF_A = read('test-ca/leaf-a.crt') + INTERMEDIATE;
const LEAF_B = read('test-ca/leaf-b.crt') + INTERMEDIATE;
const KEY_A = read('test-ca/leaf-a.key');
const KEY_B = read('test-ca/leaf-b.key');
const SN_A = certificateSn(new X509Certificate(read('test-ca/leaf-a.crt')));
const SN_B = certificateSn(new X509Certificate(read('test-ca/leaf-b.crt')));
// Inside the test CA's 100-year window (generate.sh was run in 2026).
const NOW = new Date('2030-01-01T00:00:00Z');
const now = (): Date => NOW;

function rejects(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof AlipayNotifyError && err.code === code);
}

// ---- The real certificate vectors ----

const certVectors = verified.filter(
  (v): v is Vector & { cert: string; params: Record<string, string> } =>
    typeof v.cert === 'string' && v.kind !== 'return_url',
);
const notifiedAt = (v: Vector): Date => new Date(`${v.params!['notify_time']!.replace(' ', 'T')}+08:00`);

test('there are certificate notification vectors', () => {
  assert.equal(certVectors.length, 2);
});

for (const v of certVectors) {
  const options = (): NotifyVerifierOptions => ({
    alipayPublicCert: v.cert,
    appId: v.params['app_id']!,
    now: () => notifiedAt(v),
  });

  test(`certificate vector ${v.id} verifies with the clock set to when it was sent`, () => {
    const n = verifyNotify(v.params, options());
    assert.equal(n.kind, 'trade');
    assert.equal(n.notifyId, v.params['notify_id']);
    assert.equal(n.signType, 'RSA2');
  });

  test(`certificate vector ${v.id}: a one-field change of any field is rejected`, () => {
    const opts = options();
    for (const name of Object.keys(v.params)) {
      if (name === 'sign' || name === 'sign_type' || name === 'charset') continue;
      const changed = { ...v.params, [name]: `${v.params[name]}0` };
      rejects(() => verifyNotify(changed, opts), 'ERR_SIGNATURE_INVALID');
    }
    rejects(() => verifyNotify({ ...v.params, sign_type: 'RSA' }, opts), 'ERR_SIGN_TYPE_UNSUPPORTED');
  });

  test(`certificate vector ${v.id}: today its certificate has expired (ERR_CERT_INVALID)`, () => {
    rejects(
      () =>
        verifyNotify(v.params, {
          alipayPublicCert: v.cert,
          appId: v.params['app_id']!,
          now: () => new Date('2026-01-01T00:00:00Z'),
        }),
      'ERR_CERT_INVALID',
    );
    rejects(() => verifyNotify(v.params, { alipayPublicCert: v.cert, appId: v.params['app_id']! }), 'ERR_CERT_INVALID');
  });

  test(`certificate vector ${v.id}: a sandbox certificate does not chain up to the production root bundle`, () => {
    rejects(
      () => createNotifyVerifier({ alipayPublicCert: v.cert, alipayRootCert: ALIPAY_ROOT, appId: v.params['app_id']! }),
      'ERR_CONFIG',
    );
  });
}

// ---- Root chain, with our own CA ----

test('root chain: leaf + intermediate lead to the root, every signature checked', () => {
  const path = certificatePath(
    new X509Certificate(read('test-ca/leaf-a.crt')),
    [new X509Certificate(INTERMEDIATE)],
    [new X509Certificate(ROOT)],
  );
  assert.deepEqual(
    path?.map((c) => c.subject.split('\n').at(-1)),
    [
      'CN=Test Alipay leaf a',
      'CN=Test Financial Certification Authority Class 2 R1',
      'CN=Test Financial Certification Authority R1',
    ],
  );
  const signed = signNotification(buildRefundFields('partial', { now: NOW }), { privateKey: KEY_A });
  assert.equal(
    verifyRefundNotify(signed.body, { alipayPublicCert: LEAF_A, alipayRootCert: ROOT, appId: '2021000000000000', now })
      .kind,
    'trade_refund',
  );
});

test('root chain: the intermediate may come with the root bundle instead of the leaf', () => {
  const signed = signNotification(buildRefundFields('partial', { now: NOW }), { privateKey: KEY_A });
  const options = {
    alipayPublicCert: read('test-ca/leaf-a.crt'),
    alipayRootCert: ALIPAY_ROOT + INTERMEDIATE + ROOT,
    appId: '2021000000000000',
    now,
  };
  assert.equal(verifyNotify(signed.body, options).kind, 'trade_refund');
});

test('root chain negatives: missing intermediate, other root, forged same-name CAs', () => {
  const appId = '2021000000000000';
  // No intermediate: the leaf cannot reach the root.
  rejects(
    () => createNotifyVerifier({ alipayPublicCert: read('test-ca/leaf-a.crt'), alipayRootCert: ROOT, appId }),
    'ERR_CONFIG',
  );
  // Alipay's real roots did not issue our test CA.
  rejects(() => createNotifyVerifier({ alipayPublicCert: LEAF_A, alipayRootCert: ALIPAY_ROOT, appId }), 'ERR_CONFIG');
  // A rogue intermediate with the real one's name, from a rogue root with the real root's name.
  rejects(
    () =>
      createNotifyVerifier({
        alipayPublicCert: read('test-ca/rogue-leaf.crt') + read('test-ca/rogue-intermediate.crt'),
        alipayRootCert: ROOT,
        appId,
      }),
    'ERR_CONFIG',
  );
  // The rogue leaf next to the genuine intermediate: names match, signature does not.
  rejects(
    () =>
      createNotifyVerifier({
        alipayPublicCert: read('test-ca/rogue-leaf.crt') + INTERMEDIATE,
        alipayRootCert: ROOT,
        appId,
      }),
    'ERR_CONFIG',
  );
  // Sanity: the rogue chain does lead to the rogue root.
  assert.ok(
    createNotifyVerifier({
      alipayPublicCert: read('test-ca/rogue-leaf.crt') + read('test-ca/rogue-intermediate.crt'),
      alipayRootCert: read('test-ca/rogue-root.crt'),
      appId,
    }),
  );
});

test('root chain: a root is its own path; a certificate from another hierarchy has none', () => {
  const generated = generateTestCertificates({ bits: 1024 });
  const [root] = parseCertificates(generated.alipayRootCert, 'alipayRootCert');
  const [leaf] = parseCertificates(generated.alipayPublicCert, 'alipayPublicCert');
  assert.deepEqual(certificatePath(root!, [], [root!]), [root]);
  assert.deepEqual(certificatePath(leaf!, [], [root!]), [leaf, root]);
  const [stranger] = parseCertificates(generateTestCertificates({ bits: 1024 }).alipayRootCert, 'alipayRootCert');
  assert.equal(certificatePath(leaf!, [], [stranger!]), null);
});

// ---- alipay_cert_sn selection ----

const rotation = (): NotifyVerifierOptions => ({
  alipayPublicCert: [LEAF_A, LEAF_B],
  alipayRootCert: ROOT,
  appId: '2021000000000000',
  now,
});

test('alipay_cert_sn picks the certificate (signed with the SN inside the signed string, as Java signs)', () => {
  const options = rotation();
  for (const [sn, key] of [
    [SN_A, KEY_A],
    [SN_B, KEY_B],
  ] as const) {
    const signed = signNotification(buildRefundFields('full', { now: NOW, overrides: { alipay_cert_sn: sn } }), {
      privateKey: key,
    });
    const n = verifyRefundNotify(signed.body, options);
    assert.equal(n.fields['alipay_cert_sn'], sn);
  }
});

test('alipay_cert_sn picks the certificate (SN added outside the signed string, as smartwalle expects)', () => {
  const signed = signNotification(buildRefundFields('full', { now: NOW }), { privateKey: KEY_B });
  const body = encodeFormBody({ ...signed.fields, alipay_cert_sn: SN_B });
  assert.equal(verifyRefundNotify(body, rotation()).kind, 'trade_refund');
});

test('alipay_cert_sn is binding: a notification signed by B but naming A does not verify', () => {
  const signed = signNotification(buildRefundFields('full', { now: NOW, overrides: { alipay_cert_sn: SN_A } }), {
    privateKey: KEY_B,
  });
  rejects(() => verifyNotify(signed.body, rotation()), 'ERR_SIGNATURE_INVALID');
});

test('an alipay_cert_sn no configured certificate has is ERR_CERT_NOT_FOUND', () => {
  const signed = signNotification(
    buildRefundFields('full', { now: NOW, overrides: { alipay_cert_sn: '7513daaaa48aa3ba2e4018d84402479c' } }),
    { privateKey: KEY_A },
  );
  rejects(() => verifyNotify(signed.body, rotation()), 'ERR_CERT_NOT_FOUND');
});

test('without alipay_cert_sn every configured certificate is tried', () => {
  const options = rotation();
  for (const key of [KEY_A, KEY_B]) {
    const signed = signNotification(buildRefundFields('partial', { now: NOW }), { privateKey: key });
    assert.equal(verifyNotify(signed.body, options).kind, 'trade_refund');
  }
  // A key that no configured certificate holds.
  const stranger = signNotification(buildRefundFields('partial', { now: NOW }), { privateKey: KEY_A });
  rejects(() => verifyNotify(stranger.body, { ...options, alipayPublicCert: [LEAF_B] }), 'ERR_SIGNATURE_INVALID');
});

test('ERR_CERT_INVALID: the certificate that verified is outside its validity window at `now`', () => {
  const signed = signNotification(buildRefundFields('partial', { now: NOW, overrides: { alipay_cert_sn: SN_A } }), {
    privateKey: KEY_A,
  });
  for (const at of ['2000-01-01T00:00:00Z', '2200-01-01T00:00:00Z']) {
    rejects(() => verifyNotify(signed.body, { ...rotation(), now: () => new Date(at) }), 'ERR_CERT_INVALID');
  }
  // A forged signature is a signature error, never a certificate one, whatever the clock says.
  const forged = encodeFormBody({ ...signed.fields, refund_fee: '99.00' });
  rejects(
    () => verifyNotify(forged, { ...rotation(), now: () => new Date('2200-01-01T00:00:00Z') }),
    'ERR_SIGNATURE_INVALID',
  );
});

test('certificate mode and plain keys can be configured together', () => {
  const signed = signNotification(buildRefundFields('partial', { now: NOW }), { privateKey: KEY_A });
  const other = certVectors[0]!;
  const options: NotifyVerifierOptions = {
    alipayPublicKey: verified.find((v) => v.public_key !== undefined && v.sign_type === 'RSA2')!.public_key!,
    alipayPublicCert: LEAF_A,
    appId: ['2021000000000000', other.params['app_id']!],
    now,
  };
  assert.equal(verifyNotify(signed.body, options).kind, 'trade_refund');
});

// ---- Only a signing leaf can be alipayPublicCert ----
// Alipay's leaves (alipayCertPublicKey_RSA2.crt, the sandbox ones in the vectors, our test-ca leaves)
// carry key usage digitalSignature + nonRepudiation (+ keyEncipherment, dataEncipherment) and no
// basicConstraints; its CAs carry CA:TRUE with keyCertSign and cRLSign. A CA given as the signing
// certificate (often the root bundle, in the wrong option) must be refused at setup.

function refusedAtSetup(options: NotifyVerifierOptions, message: RegExp): void {
  assert.throws(
    () => createNotifyVerifier(options),
    (err: unknown) =>
      err instanceof AlipayNotifyError &&
      err.code === 'ERR_CONFIG' &&
      (err as { option?: string }).option === 'alipayPublicCert' &&
      message.test(err.message),
  );
}

test('a CA certificate as alipayPublicCert is ERR_CONFIG: basicConstraints CA:TRUE, or key usage keyCertSign', () => {
  const appId = '2021000000000000';
  const ca = generateTestCertificates({
    bits: 1024,
    leafExtensions: { ca: true, keyUsage: ['keyCertSign', 'cRLSign'] },
  });
  refusedAtSetup(
    { alipayPublicCert: ca.alipayPublicCert, alipayRootCert: ca.alipayRootCert, appId },
    /^alipayPublicCert: is a CA certificate \(basicConstraints CA:TRUE\), not the certificate Alipay signs notifications with: give alipayCertPublicKey_RSA2\.crt as alipayPublicCert/,
  );
  const caOnly = generateTestCertificates({ bits: 1024, leafExtensions: { ca: true } });
  refusedAtSetup(
    { alipayPublicCert: caOnly.alipayPublicCert, appId },
    /is a CA certificate \(basicConstraints CA:TRUE\)/,
  );
  const keyCertSign = generateTestCertificates({ bits: 1024, leafExtensions: { keyUsage: ['keyCertSign'] } });
  refusedAtSetup(
    { alipayPublicCert: keyCertSign.alipayPublicCert, appId },
    /is a CA certificate \(key usage keyCertSign\)/,
  );
  const encipherment = generateTestCertificates({
    bits: 1024,
    leafExtensions: { ca: false, keyUsage: ['keyEncipherment', 'keyAgreement'] },
  });
  refusedAtSetup(
    { alipayPublicCert: encipherment.alipayPublicCert, appId },
    /its key usage does not allow signatures \(neither digitalSignature nor nonRepudiation\)/,
  );
  // Signing leaves are fine: Alipay's kind (the default), CA:FALSE spelt out, nonRepudiation alone, no extensions at all.
  for (const leafExtensions of [
    undefined,
    { ca: false, keyUsage: ['digitalSignature'] as const },
    { ca: false },
    { keyUsage: ['nonRepudiation'] as const },
    {},
  ]) {
    const signing = generateTestCertificates({
      bits: 1024,
      ...(leafExtensions === undefined ? {} : { leafExtensions }),
    });
    const { body } = signNotificationWithCertificate(buildRefundFields('partial'), signing);
    assert.equal(
      verifyRefundNotify(body, {
        alipayPublicCert: signing.alipayPublicCert,
        alipayRootCert: signing.alipayRootCert,
        appId,
      }).kind,
      'trade_refund',
      JSON.stringify(leafExtensions),
    );
  }
  const { body } = signNotificationWithCertificate(buildRefundFields('partial'), ca);
  // diagnoseNotify sets up the same way.
  assert.throws(
    () => diagnoseNotify(body, { alipayPublicCert: ca.alipayPublicCert, appId }),
    (err: unknown) => err instanceof AlipayNotifyError && err.code === 'ERR_CONFIG',
  );
});

test('real CA certificates as alipayPublicCert are refused; the real leaves are accepted', () => {
  const appId = '2021000000000000';
  // Alipay's root bundle in the wrong option, our test CA's root and intermediate.
  for (const pem of [ALIPAY_ROOT, ROOT, INTERMEDIATE])
    refusedAtSetup({ alipayPublicCert: pem, appId, now }, /is a CA certificate \(basicConstraints CA:TRUE\)/);
  // Alipay's production leaf, our test leaves and the sandbox leaves of the vectors.
  const leaves = [
    read('alipayCertPublicKey_RSA2.crt'),
    LEAF_A,
    LEAF_B,
    read('test-ca/rogue-leaf.crt'),
    ...certVectors.map((v) => v.cert),
  ];
  for (const pem of leaves) assert.ok(createNotifyVerifier({ alipayPublicCert: pem, appId, now }));
});
