// What the diagnosis reads from the signature itself (src/diagnose/inspect-signature.ts): a sign
// that is missing its '+' or still percent-encoded (and repaired), the key that opens it, the hash
// and DigestInfo it holds, and why another key, length or hash is not Alipay's.
import assert from 'node:assert/strict';
import { constants, createHash, privateEncrypt, sign as rsaSign } from 'node:crypto';
import { test } from 'node:test';
import { parseNotifyBody } from '../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { diagnoseNotify } from '../../src/diagnose/diagnose-notify.js';
import type { AlipayNotifyError } from '../../src/errors/index.js';
import { encodeFormBody, encodeFormValue } from '../../src/testing/encode-form-body.js';
import {
  buildRefundFields,
  generateTestCertificates,
  signNotification,
  signNotificationWithCertificate,
} from '../../src/testing/index.js';
import { verifyNotify } from '../../src/verifier/verify-notify.js';
import {
  alipay,
  APP_ID,
  appKey,
  assertJson,
  causes,
  fingerprint,
  options,
  refund,
  signed,
  signedWithPlus,
} from './support/signed-refunds.js';

/** The fields with `sign` replaced by a raw signature over their canonical string. */
function resigned(fields: Readonly<Record<string, string>>, raw: (content: Buffer) => Buffer): Buffer {
  const content = buildSignContent(parseNotifyBody(encodeFormBody(fields)));
  return encodeFormBody({ ...fields, sign: raw(content).toString('base64') });
}

test('a sign that is not base64', () => {
  const report = diagnoseNotify(encodeFormBody({ ...signed(refund()).fields, sign: '!!not*base64!!' }), options);
  assert.equal(report.cause, 'signature-not-base64');
  assert.equal(report.signature!.bytes, 0);
});

test('signed by another key: "is this your app public key?"', () => {
  const { body } = signNotification(refund(), { privateKey: appKey.privateKey });
  const report = diagnoseNotify(body, options);
  assertJson(report);
  assert.equal(report.cause, 'wrong-key');
  assert.equal(report.error?.code, 'ERR_SIGNATURE_INVALID');
  assert.match(
    report.summary,
    /this was not signed by any configured Alipay key: is this your app public key instead of the Alipay public key\?/,
  );
  // Under the wrong key the signature is either a number beyond the modulus or one that opens to
  // garbage, depending on the two random moduli: both mean "another private key made it".
  assert.deepEqual(
    report.keys.map((k) => [k.fingerprint, k.opens]),
    [[fingerprint, false]],
  );
  assert.ok(['bad-padding', 'out-of-range'].includes(report.keys[0]!.status), report.keys[0]!.status);
  assert.equal(report.matchedVariant, null);
  // Several keys (rotation): the one that made it is named.
  const both = diagnoseNotify(body, { ...options, alipayPublicKey: [alipay.publicKey, appKey.publicKey] });
  assert.equal(both.ok, true);
  assert.deepEqual(
    both.keys.map((k) => k.opens),
    [false, true],
  );
});

test('a truncated signature and one larger than the modulus never open', () => {
  const { fields } = signed(refund());
  const sig = Buffer.from(fields['sign']!, 'base64');
  const short = diagnoseNotify(encodeFormBody({ ...fields, sign: sig.subarray(1).toString('base64') }), options);
  assert.equal(short.cause, 'wrong-key');
  assert.equal(short.keys[0]!.status, 'wrong-length');
  assert.match(short.summary, /255 bytes, a 2048-bit key signs 256/);
  const big = diagnoseNotify(encodeFormBody({ ...fields, sign: Buffer.alloc(256, 0xff).toString('base64') }), options);
  assert.equal(big.keys[0]!.status, 'out-of-range');
});

test("'+' turned into spaces in sign only", () => {
  const s = signedWithPlus();
  const body = encodeFormBody({ ...s.fields, sign: 'SIGN' })
    .toString('latin1')
    .replace('sign=SIGN', `sign=${s.fields['sign']}`);
  assert.throws(
    () => verifyNotify(body, options),
    (err: AlipayNotifyError) => err.code === 'ERR_SIGNATURE_MISSING' || err.code === 'ERR_SIGNATURE_INVALID',
  );
  const report = diagnoseNotify(body, options);
  assert.equal(report.cause, 'sign-plus-as-space');
  assert.equal(report.signature!.repaired, 'plus-as-space');
  assert.equal(report.matchedVariant!.id, 'none');
  assert.match(report.summary, /'\+' turned into spaces/);
});

test('sign_type says RSA2 but the signature is SHA-1', () => {
  const { fields } = signed(refund(), { signType: 'RSA' });
  const report = diagnoseNotify(encodeFormBody({ ...fields, sign_type: 'RSA2' }), options);
  assert.equal(report.cause, 'hash-mismatch');
  assert.equal(report.keys[0]!.hash, 'sha1');
  assert.equal(report.keys[0]!.hashMatchesSignType, false);
  assert.match(report.summary, /uses SHA-1 \(sign_type RSA\) but the notification declares sign_type RSA2/);
});

test('a signature padded around no known DigestInfo is told apart from a wrong key', () => {
  const { fields } = signed(refund());
  const body = resigned(fields, (content) =>
    privateEncrypt(
      { key: alipay.privateKey, padding: constants.RSA_PKCS1_PADDING },
      createHash('sha256').update(content).digest(),
    ),
  );
  const report = diagnoseNotify(body, options);
  assert.equal(report.ok, false);
  assert.equal(report.keys[0]!.status, 'unknown-digest');
  assert.equal(report.cause, 'wrong-key');
  assert.match(report.summary, /padded as a signature of this key but holding no known DigestInfo/);
});

test('a SHA-512 signature by the right key: the hash is named, with no sign_type to suggest', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(
    resigned(fields, (content) => rsaSign('sha512', content, alipay.privateKey)),
    options,
  );
  assert.equal(report.ok, false);
  assert.equal(report.keys[0]!.hash, 'sha512');
  assert.equal(report.keys[0]!.hashMatchesSignType, false);
  const mismatch = report.findings.find((f) => f.cause === 'hash-mismatch');
  assert.ok(mismatch, JSON.stringify(report.findings));
  assert.equal(mismatch.message, 'the signature uses SHA-512 but the notification declares sign_type RSA2');
});

test('a SHA-1 signature without sign_type, RSA2 configured: the hash is named against the configured type', () => {
  const { fields } = signed(refund());
  const { sign_type: _dropped, ...rest } = fields;
  const body = resigned(rest, (content) => rsaSign('sha1', content, alipay.privateKey));
  const report = diagnoseNotify(body, options);
  assert.equal(report.keys[0]!.hash, 'sha1');
  const mismatch = report.findings.find((f) => f.cause === 'hash-mismatch');
  assert.equal(
    mismatch?.message,
    'the signature uses SHA-1 (sign_type RSA) but the notification has no sign_type and the one configured is RSA2',
  );
});

test('a still percent-encoded sign over changed content: the repair is reported next to the change', () => {
  const { fields } = signed(refund());
  const encodedSign = encodeFormValue(fields['sign']!, 'utf-8');
  assert.notEqual(encodedSign, fields['sign']);
  const body = encodeFormBody({ ...fields, refund_fee: '99.99', sign: encodedSign });
  const report = diagnoseNotify(body, options);
  assert.equal(report.signature!.repaired, 'percent-encoded');
  assert.equal(report.matchedVariant, null);
  assert.deepEqual(causes(report).slice(0, 2), ['variant-match', 'content-changed']);
  assert.match(report.findings[0]!.message, /still percent-encoded; it was read decoded/);
});

test('an unknown alipay_cert_sn whose signature opens under a configured certificate says so', () => {
  const certs = generateTestCertificates({ bits: 1024 });
  const { body } = signNotificationWithCertificate(
    buildRefundFields('partial', { overrides: { alipay_cert_sn: 'ignored' } }),
    { ...certs, alipayCertSn: '0123456789abcdef0123456789abcdef' },
  );
  const report = diagnoseNotify(body, {
    alipayPublicCert: certs.alipayPublicCert,
    alipayRootCert: certs.alipayRootCert,
    appId: APP_ID,
  });
  assert.equal(report.error!.code, 'ERR_CERT_NOT_FOUND');
  assert.equal(report.cause, 'cert-sn-not-found');
  assert.deepEqual(report.certificate, {
    declaredSn: '0123456789abcdef0123456789abcdef',
    configuredSns: [certs.alipayCertSn],
    found: false,
  });
  assert.match(report.findings[0]!.message, new RegExp(`opens under the configured certificate ${certs.alipayCertSn}`));
});
