// Edges of diagnoseNotify (src/diagnose/*) beyond test/diagnose/diagnose-notify.test.ts: the other
// forms of `query`, signatures that open to an unknown or a non-Alipay hash, a percent-encoded sign
// over changed content, several accepted sign types without sign_type, certificate SNs, and the
// recipient checks of legacy MAPI notifications.
import assert from 'node:assert/strict';
import { constants, createHash, privateEncrypt, sign as rsaSign } from 'node:crypto';
import { test } from 'node:test';
import { parseNotifyBody } from '../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { diagnoseNotify, type DiagnoseNotifyOptions } from '../../src/diagnose/diagnose-notify.js';
import { encodeFormBody, encodeFormValue } from '../../src/testing/encode-form-body.js';
import { buildRefundFields, generateTestCertificates, generateTestKeyPair, signNotification, signNotificationWithCertificate } from '../../src/testing/index.js';

const alipay = generateTestKeyPair();
const APP_ID = '2021000000000000';
const PARTNER = '2088000000000000'; // the seller_id buildRefundFields writes
const options: DiagnoseNotifyOptions = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID };
const causes = (r: { findings: readonly { cause: string }[] }) => r.findings.map((f) => f.cause);

function signed(overrides: Record<string, string> = {}) {
  return signNotification(buildRefundFields('partial', { overrides }), { privateKey: alipay.privateKey });
}

/** The fields with `sign` replaced by a raw signature over their canonical string. */
function resigned(fields: Readonly<Record<string, string>>, raw: (content: Buffer) => Buffer): Buffer {
  const content = buildSignContent(parseNotifyBody(encodeFormBody(fields)));
  return encodeFormBody({ ...fields, sign: raw(content).toString('base64') });
}

test('query as a bare query string, as URLSearchParams, and something that is neither', () => {
  const { fields } = signed();
  const body = encodeFormBody({ ...fields, orderType: 'refund' });
  for (const query of ['orderType=refund', new URLSearchParams({ orderType: 'refund' })]) {
    const report = diagnoseNotify(body, { ...options, query });
    assert.equal(report.matchedVariant!.id, 'query-params-removed', String(query));
    assert.deepEqual(report.matchedVariant!.removed, ['orderType']);
  }
  // A query of another type names no field: the single-field removals still find it.
  const other = diagnoseNotify(body, { ...options, query: 42 as never });
  assert.equal(other.matchedVariant!.change, 'field-removed');
  assert.deepEqual(other.matchedVariant!.removed, ['orderType']);
});

test('a signature padded around no known DigestInfo is told apart from a wrong key', () => {
  const { fields } = signed();
  const body = resigned(fields, (content) => privateEncrypt({ key: alipay.privateKey, padding: constants.RSA_PKCS1_PADDING }, createHash('sha256').update(content).digest()));
  const report = diagnoseNotify(body, options);
  assert.equal(report.ok, false);
  assert.equal(report.keys[0]!.status, 'unknown-digest');
  assert.equal(report.cause, 'wrong-key');
  assert.match(report.summary, /padded as a signature of this key but holding no known DigestInfo/);
});

test('a SHA-512 signature by the right key: the hash is named, with no sign_type to suggest', () => {
  const { fields } = signed();
  const report = diagnoseNotify(resigned(fields, (content) => rsaSign('sha512', content, alipay.privateKey)), options);
  assert.equal(report.ok, false);
  assert.equal(report.keys[0]!.hash, 'sha512');
  assert.equal(report.keys[0]!.hashMatchesSignType, false);
  const mismatch = report.findings.find((f) => f.cause === 'hash-mismatch');
  assert.ok(mismatch, JSON.stringify(report.findings));
  assert.equal(mismatch.message, 'the signature uses SHA-512 but the notification declares sign_type RSA2');
});

test('a still percent-encoded sign over changed content: the repair is reported next to the change', () => {
  const { fields } = signed();
  const encodedSign = encodeFormValue(fields['sign']!, 'utf-8');
  assert.notEqual(encodedSign, fields['sign']);
  const body = encodeFormBody({ ...fields, refund_fee: '99.99', sign: encodedSign });
  const report = diagnoseNotify(body, options);
  assert.equal(report.signature!.repaired, 'percent-encoded');
  assert.equal(report.matchedVariant, null);
  assert.deepEqual(causes(report).slice(0, 2), ['variant-match', 'content-changed']);
  assert.match(report.findings[0]!.message, /still percent-encoded; it was read decoded/);
});

test('no sign_type with several accepted types: not guessed, and the report says why', () => {
  const { fields } = signed();
  const { sign_type: _dropped, ...rest } = fields;
  const report = diagnoseNotify(encodeFormBody(rest), { ...options, signTypes: ['RSA2', 'RSA'] });
  assert.equal(report.error!.code, 'ERR_SIGN_TYPE_UNSUPPORTED');
  assert.deepEqual(report.signType, { declared: null, accepted: ['RSA2', 'RSA'], isAccepted: false });
  assert.ok(causes(report).includes('sign-type-not-accepted'));
  assert.match(report.summary, /no sign_type and signTypes lists several \(RSA2, RSA\)/);
});

test('an unknown alipay_cert_sn whose signature opens under a configured certificate says so', () => {
  const certs = generateTestCertificates({ bits: 1024 });
  const { body } = signNotificationWithCertificate(buildRefundFields('partial', { overrides: { alipay_cert_sn: 'ignored' } }), { ...certs, alipayCertSn: '0123456789abcdef0123456789abcdef' });
  const report = diagnoseNotify(body, { alipayPublicCert: certs.alipayPublicCert, alipayRootCert: certs.alipayRootCert, appId: APP_ID });
  assert.equal(report.error!.code, 'ERR_CERT_NOT_FOUND');
  assert.equal(report.cause, 'cert-sn-not-found');
  assert.deepEqual(report.certificate, { declaredSn: '0123456789abcdef0123456789abcdef', configuredSns: [certs.alipayCertSn], found: false });
  assert.match(report.findings[0]!.message, new RegExp(`opens under the configured certificate ${certs.alipayCertSn}`));
});

test('legacy MAPI recipients: another partner, and an app_id when only partner is configured', () => {
  const noAppId = signed({ app_id: '' });
  const otherPartner = diagnoseNotify(noAppId.body, { alipayPublicKey: alipay.publicKeyBase64, partner: '2088999999999999' });
  assert.equal(otherPartner.cause, 'seller-id-mismatch');
  assert.deepEqual(otherPartner.recipient, { ok: false, field: 'seller_id', received: PARTNER, expected: ['2088999999999999'] });

  const withAppId = diagnoseNotify(signed().body, { alipayPublicKey: alipay.publicKeyBase64, partner: PARTNER });
  assert.equal(withAppId.cause, 'app-id-mismatch');
  assert.deepEqual(withAppId.recipient, { ok: false, field: 'app_id', received: APP_ID, expected: [] });
  assert.match(withAppId.summary, /but the options expect a partner option for legacy MAPI notifications/);

  const neither = diagnoseNotify(noAppId.body, options);
  assert.deepEqual(neither.recipient, { ok: false, field: 'app_id', received: null, expected: [APP_ID] });
  assert.match(neither.summary, /app_id is \(absent\) but the options expect 2021000000000000/);
});

test('three findings or more are counted in the summary', () => {
  const other = generateTestKeyPair();
  const { fields } = signNotification(buildRefundFields('partial'), { privateKey: other.privateKey, signType: 'RSA' });
  const report = diagnoseNotify(encodeFormBody(fields), { ...options, appId: '2021999999999999' });
  assert.ok(report.findings.length >= 3, JSON.stringify(causes(report)));
  assert.match(report.summary, new RegExp(`\\(\\+${report.findings.length - 1} more findings\\)$`));
});

test('a SHA-1 signature without sign_type, RSA2 configured: the hash is named against the configured type', () => {
  const { fields } = signed();
  const { sign_type: _dropped, ...rest } = fields;
  const body = resigned(rest, (content) => rsaSign('sha1', content, alipay.privateKey));
  const report = diagnoseNotify(body, options);
  assert.equal(report.keys[0]!.hash, 'sha1');
  const mismatch = report.findings.find((f) => f.cause === 'hash-mismatch');
  assert.equal(mismatch?.message, 'the signature uses SHA-1 (sign_type RSA) but the notification has no sign_type and the one configured is RSA2');
});

test('a folded body: the diagnosis says the signature is genuine but the content has a second reading', () => {
  const alipayKey = generateTestKeyPair();
  const genuine = signNotification(buildRefundFields('partial'), { privateKey: alipayKey.privateKey }).fields;
  const folded: Record<string, string> = { ...genuine, notify_id: `${genuine['notify_id']}&notify_time=${genuine['notify_time']}` };
  delete folded['notify_time'];
  const report = diagnoseNotify(encodeFormBody(folded), { alipayPublicKey: alipayKey.publicKey, appId: '2021000000000000' });
  assert.equal(report.ok, false);
  assert.deepEqual(report.error, { code: 'ERR_SIGNATURE_AMBIGUOUS', field: 'notify_id' });
  assert.equal(report.cause, 'signature-ambiguous');
});

test('an expired notification: the diagnosis names the freshness window', () => {
  const alipayKey = generateTestKeyPair();
  const { body } = signNotification(buildRefundFields('partial', { now: new Date('2020-01-01T00:00:00Z') }), { privateKey: alipayKey.privateKey });
  const report = diagnoseNotify(body, { alipayPublicKey: alipayKey.publicKey, appId: '2021000000000000', maxNotifyAgeMs: 60_000 });
  assert.equal(report.error?.code, 'ERR_NOTIFY_EXPIRED');
  assert.equal(report.cause, 'notify-expired');
});
