import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { parseNotifyBody } from '../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { importAlipayPublicKey } from '../../src/crypto/import-public-key.js';
import { signContent } from '../../src/crypto/sign.js';
import { diagnoseNotify, type DiagnoseNotifyOptions } from '../../src/diagnose/diagnose-notify.js';
import type { NotifyDiagnosis } from '../../src/diagnose/notify-diagnosis.js';
import { AlipayNotifyError, NotifyConfigError } from '../../src/errors/index.js';
import { encodeFormBody, encodeFormValue } from '../../src/testing/encode-form-body.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';
import { verifyNotify } from '../../src/verifier/verify-notify.js';
import { verified } from '../support/vectors.js';

// Every branch of diagnoseNotify (issue 3 item 5), each triggered by a notification signed here
// with a throwaway "Alipay" key, or by a real certificate vector where a certificate is needed.
const alipay = generateTestKeyPair();
const appKey = generateTestKeyPair(); // plays the merchant's own app key pair
const APP_ID = '2021000000000000';
const options: DiagnoseNotifyOptions = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID };
const fingerprint = importAlipayPublicKey(alipay.publicKey).fingerprint;

function refund(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  return buildRefundFields('partial', { overrides: { subject: '测试退款 iPhone', ...overrides } });
}

function signed(fields: Record<string, string>, sign: Parameters<typeof signNotification>[1] = {}) {
  return signNotification(fields, { privateKey: alipay.privateKey, ...sign });
}

/** A signed notification whose `sign` contains a '+' (most do; retried so that the test cannot be flaky). */
function signedWithPlus(extra: Record<string, string> = {}) {
  for (;;) {
    const s = signed(refund(extra));
    if (s.fields['sign']!.includes('+')) return s;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function assertJson(report: NotifyDiagnosis): void {
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
}

function causes(report: NotifyDiagnosis): string[] {
  return report.findings.map((f) => f.cause);
}

test('a genuine notification: ok, the canonical string and the key that made it', () => {
  const { body } = signed(refund());
  const report = diagnoseNotify(body, options);
  assertJson(report);
  assert.equal(report.ok, true);
  assert.equal(report.cause, 'ok');
  assert.equal(report.error, null);
  assert.match(report.summary, /^verifies/);
  const parsed = parseNotifyBody(body);
  const expected = buildSignContent(parsed);
  assert.equal(report.canonical!.text, expected.toString('utf8'));
  assert.match(report.canonical!.text, /subject=测试退款 iPhone/);
  assert.equal(report.canonical!.sha256, sha256(expected));
  assert.deepEqual(report.keys.map((k) => [k.fingerprint, k.opens, k.hash, k.hashMatchesSignType]), [[fingerprint, true, 'sha256', true]]);
  assert.equal(report.keys[0]!.recoveredDigest, report.canonical!.sha256);
  assert.equal(report.matchedVariant!.id, 'none');
  assert.equal(report.matchedVariant!.triedByVerifier, true);
  assert.deepEqual(report.recipient, { ok: true, field: null, received: null, expected: [] });
});

test('body errors are reported with their code and field, not thrown', () => {
  const report = diagnoseNotify('notify_id=1&subject=%ZZ', options);
  assertJson(report);
  assert.equal(report.ok, false);
  assert.equal(report.cause, 'body-invalid');
  assert.deepEqual(report.error, { code: 'ERR_BODY_MALFORMED', field: 'subject' });
  assert.equal(report.body.ok, false);
  assert.equal(report.body.ok === false && report.body.field, 'subject');
  for (const bad of [Buffer.alloc(0), '', 'a=1&a=2', { subject: ['x', 'y'] } as unknown as Record<string, string>, Buffer.from([0xff, 0x00, 0x26, 0x3d])]) {
    const r = diagnoseNotify(bad, options);
    assert.equal(r.cause, 'body-invalid');
    assert.equal(r.error?.code, 'ERR_BODY_MALFORMED');
  }
});

test('a body over maxBodyBytes: body-invalid with ERR_BODY_TOO_LARGE', () => {
  const report = diagnoseNotify(signed(refund()).body, { ...options, maxBodyBytes: 100 });
  assert.equal(report.cause, 'body-invalid');
  assert.equal(report.body.ok === false && report.body.code, 'ERR_BODY_TOO_LARGE');
});

test('bad options are still ERR_CONFIG', () => {
  assert.throws(() => diagnoseNotify('a=1', { appId: APP_ID }), NotifyConfigError);
  assert.throws(() => diagnoseNotify('a=1', { alipayPublicKey: 'not a key', appId: APP_ID }), NotifyConfigError);
});

test('no sign field', () => {
  const fields = { ...signed(refund()).fields };
  delete fields['sign'];
  const report = diagnoseNotify(encodeFormBody(fields), options);
  assert.equal(report.cause, 'signature-missing');
  assert.equal(report.error?.code, 'ERR_SIGNATURE_MISSING');
  assert.equal(report.signature!.present, false);
  assert.ok(report.canonical!.text.includes('notify_type=trade_status_sync'));
});

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
  assert.match(report.summary, /this was not signed by any configured Alipay key: is this your app public key instead of the Alipay public key\?/);
  // Under the wrong key the signature is either a number beyond the modulus or one that opens to
  // garbage, depending on the two random moduli: both mean "another private key made it".
  assert.deepEqual(report.keys.map((k) => [k.fingerprint, k.opens]), [[fingerprint, false]]);
  assert.ok(['bad-padding', 'out-of-range'].includes(report.keys[0]!.status), report.keys[0]!.status);
  assert.equal(report.matchedVariant, null);
  // Several keys (rotation): the one that made it is named.
  const both = diagnoseNotify(body, { ...options, alipayPublicKey: [alipay.publicKey, appKey.publicKey] });
  assert.equal(both.ok, true);
  assert.deepEqual(both.keys.map((k) => k.opens), [false, true]);
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

test('no RSA key configured for an RSA2 notification', () => {
  const report = diagnoseNotify(signed(refund()).body, { md5Key: 'k', signTypes: ['MD5'], appId: APP_ID });
  assert.equal(report.cause, 'wrong-key');
  assert.match(report.summary, /no RSA key is configured/);
  assert.ok(causes(report).includes('sign-type-not-accepted'));
});

test('right key, content changed after signing', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(encodeFormBody({ ...fields, refund_fee: '99.00' }), options);
  assertJson(report);
  assert.equal(report.cause, 'content-changed');
  assert.equal(report.keys[0]!.opens, true);
  assert.equal(report.keys[0]!.hash, 'sha256');
  assert.notEqual(report.keys[0]!.recoveredDigest, report.canonical!.sha256);
  assert.equal(report.matchedVariant, null);
  assert.ok(report.variantsTried > 20);
  assert.match(report.summary, /the key is right .* no variant of the signed string matches/);
});

test('variant: sign_type kept in the signed string of a trade_status_sync', () => {
  const { body } = signed(refund(), { keepSignType: true });
  const report = diagnoseNotify(body, options);
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.id, 'none+sign_type');
  assert.equal(report.matchedVariant!.keepSignType, true);
  assert.equal(report.matchedVariant!.triedByVerifier, false);
});

test('variant: empty values kept verifies (the verifier tries it) and the report shows the rule', () => {
  const { body } = signNotification(refund({ body: '' }), { privateKey: alipay.privateKey });
  // signNotification skips empties like the spec rule; sign the keepEmpty string by hand.
  const parsed = parseNotifyBody(body);
  const content = buildSignContent(parsed, { keepEmpty: true });
  const sign = signContent('RSA2', content, { privateKey: alipay.privateKey });
  const report = diagnoseNotify(encodeFormBody({ ...parsed.fields, sign }), options);
  assert.equal(report.ok, true);
  assert.equal(report.matchedVariant!.id, 'none+empty');
  assert.equal(report.canonical!.text, content.toString('utf8'));
  assert.match(report.canonical!.text, /&body=&/);
});

test('variant: GBK bytes signed although the notification declares UTF-8, and the reverse', () => {
  const fields = { ...refund(), sign_type: 'RSA2' };
  const parsed = parseNotifyBody(encodeFormBody(fields));
  const gbk = iconv.encode(buildSignContent(parsed).toString('utf8'), 'gbk');
  const report = diagnoseNotify(encodeFormBody({ ...fields, sign: signContent('RSA2', gbk, { privateKey: alipay.privateKey }) }), options);
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.change, 'other-charset');
  assert.match(report.summary, /GBK instead of the declared utf-8/);

  const gbkFields = { ...refund({ charset: 'GBK' }), sign_type: 'RSA2' };
  const gbkParsed = parseNotifyBody(encodeFormBody(gbkFields));
  const utf8 = Buffer.from(iconv.decode(buildSignContent(gbkParsed), 'gbk'), 'utf8');
  const reverse = diagnoseNotify(encodeFormBody({ ...gbkFields, sign: signContent('RSA2', utf8, { privateKey: alipay.privateKey }) }), options);
  assert.equal(reverse.matchedVariant!.change, 'other-charset');
  assert.equal(reverse.canonical!.charset, 'gbk');
  assert.match(reverse.canonical!.text, /subject=测试退款 iPhone/);
});

test('variant: values form-encoded twice on the way (and the sign with them)', () => {
  const { fields } = signed(refund({ passback_params: 'merchantBizType%3d3C' }));
  const twice: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) twice[k] = encodeFormValue(v, 'utf-8');
  const report = diagnoseNotify(encodeFormBody(twice), options);
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.change, 'decoded-twice');
  assert.equal(report.signature!.repaired, 'percent-encoded');
  assert.ok(causes(report).includes('variant-match'));
});

test('variant: whitespace added around values', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(encodeFormBody({ ...fields, out_trade_no: ` ${fields['out_trade_no']}\n` }), options);
  assert.equal(report.matchedVariant!.change, 'trimmed');
});

test("variant: a literal '+' read as a space because the body was decoded before the parser, and '+' in sign", () => {
  const s = signedWithPlus({ subject: 'yansongda+测试' });
  const decoded = decodeURIComponent(s.body.toString('latin1'));
  const report = diagnoseNotify(decoded, options);
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.id, 'plus-kept:subject');
  assert.equal(report.signature!.repaired, 'plus-as-space');
  assert.ok(causes(report).includes('sign-plus-as-space'));
});

test("'+' turned into spaces in sign only", () => {
  const s = signedWithPlus();
  const body = encodeFormBody({ ...s.fields, sign: 'SIGN' }).toString('latin1').replace('sign=SIGN', `sign=${s.fields['sign']}`);
  assert.throws(() => verifyNotify(body, options), (err: AlipayNotifyError) => err.code === 'ERR_SIGNATURE_MISSING' || err.code === 'ERR_SIGNATURE_INVALID');
  const report = diagnoseNotify(body, options);
  assert.equal(report.cause, 'sign-plus-as-space');
  assert.equal(report.signature!.repaired, 'plus-as-space');
  assert.equal(report.matchedVariant!.id, 'none');
  assert.match(report.summary, /'\+' turned into spaces/);
});

test('variant: HTML entities from a framework input filter', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(encodeFormBody({ ...fields, fund_bill_list: fields['fund_bill_list']!.replaceAll('"', '&quot;') }), options);
  assert.equal(report.matchedVariant!.change, 'html-unescaped');
});

test('variant: framework-added parameters (_config)', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(encodeFormBody({ _config: 'default', ...fields }), options);
  assert.equal(report.matchedVariant!.id, 'framework-params-removed');
  assert.deepEqual(report.matchedVariant!.removed, ['_config']);
});

test('variant: notify_url query-string parameters merged into the body', () => {
  const { fields } = signed(refund());
  const body = encodeFormBody({ ...fields, orderType: 'refund' });
  const withQuery = diagnoseNotify(body, { ...options, query: '/alipay/notify?orderType=refund' });
  assert.equal(withQuery.matchedVariant!.id, 'query-params-removed');
  assert.deepEqual(withQuery.matchedVariant!.removed, ['orderType']);
  assert.equal(diagnoseNotify(body, { ...options, query: { orderType: 'refund' } }).matchedVariant!.id, 'query-params-removed');
  // Without the query, the single-field removals find it.
  const without = diagnoseNotify(body, options);
  assert.equal(without.matchedVariant!.id, 'field-removed:orderType');
  assert.ok(without.variants.some((v) => v.id === 'field-removed:orderType'));
});

test('sign_type says RSA2 but the signature is SHA-1', () => {
  const { fields } = signed(refund(), { signType: 'RSA' });
  const report = diagnoseNotify(encodeFormBody({ ...fields, sign_type: 'RSA2' }), options);
  assert.equal(report.cause, 'hash-mismatch');
  assert.equal(report.keys[0]!.hash, 'sha1');
  assert.equal(report.keys[0]!.hashMatchesSignType, false);
  assert.match(report.summary, /uses SHA-1 \(sign_type RSA\) but the notification declares sign_type RSA2/);
});

test('sign_type not in signTypes', () => {
  const { body } = signed(refund(), { signType: 'RSA' });
  const report = diagnoseNotify(body, options);
  assert.equal(report.cause, 'sign-type-not-accepted');
  assert.equal(report.error?.code, 'ERR_SIGN_TYPE_UNSUPPORTED');
  assert.deepEqual(report.signType, { declared: 'RSA', accepted: ['RSA2'], isAccepted: false });
  assert.equal(report.matchedVariant!.id, 'none');
  assert.equal(diagnoseNotify(body, { ...options, signTypes: ['RSA'] }).ok, true);
});

test('MD5: wrong partner key or changed content, and MD5 without md5Key', () => {
  const fields = refund();
  const { body } = signNotification(fields, { md5Key: 'right-key', signType: 'MD5' });
  const md5 = { md5Key: 'right-key', signTypes: ['MD5'] as const, appId: APP_ID };
  assert.equal(diagnoseNotify(body, { ...md5, signTypes: ['MD5'] }).ok, true);
  const wrong = diagnoseNotify(body, { ...md5, signTypes: ['MD5'], md5Key: 'not-the-partner-key' });
  assert.equal(wrong.cause, 'md5-mismatch');
  assert.deepEqual(wrong.keys.map((k) => k.fingerprint), ['md5']);
  assert.ok(!JSON.stringify(wrong).includes('not-the-partner-key'), 'the md5Key never appears in the report');
  const framework = diagnoseNotify(encodeFormBody({ ...parseNotifyBody(body).fields, _config: 'v3' }), { ...md5, signTypes: ['MD5'] });
  assert.equal(framework.matchedVariant!.id, 'framework-params-removed');
  const noKey = diagnoseNotify(body, options);
  assert.equal(noKey.cause, 'sign-type-not-accepted');
  assert.match(noKey.summary, /no md5Key/);
});

test('app_id and seller_id mismatches', () => {
  const { body } = signed(refund());
  const app = diagnoseNotify(body, { ...options, appId: '2021999999999999' });
  assert.equal(app.cause, 'app-id-mismatch');
  assert.deepEqual(app.recipient, { ok: false, field: 'app_id', received: APP_ID, expected: ['2021999999999999'] });
  assert.equal(app.matchedVariant!.id, 'none');
  const seller = diagnoseNotify(body, { ...options, sellerId: '2088111111111111' });
  assert.equal(seller.cause, 'seller-id-mismatch');
  assert.equal(seller.recipient!.received, '2088000000000000');
});

test('a verified notification with a field in the wrong format', () => {
  const report = diagnoseNotify(signed(refund({ notify_time: 'yesterday' })).body, options);
  assert.equal(report.cause, 'field-invalid');
  assert.deepEqual(report.error, { code: 'ERR_FIELD_INVALID', field: 'notify_time' });
});

// Certificate mode needs a certificate: the real yansongda one (test/fixtures/verified.json).
const certVector = verified.find((v) => v.id === 'yansongda-sandbox-20231221')!;
const certOptions: DiagnoseNotifyOptions = {
  alipayPublicCert: certVector.cert!,
  appId: certVector.params!['app_id']!,
  now: () => new Date(`${certVector.params!['notify_time']!.replace(' ', 'T')}+08:00`),
};

test('certificate mode: the vector verifies and the key is named by its SN', () => {
  const report = diagnoseNotify(certVector.params!, certOptions);
  assert.equal(report.ok, true);
  assert.equal(report.keys[0]!.source, 'alipayPublicCert');
  assert.match(report.keys[0]!.certSn!, /^[0-9a-f]{32}$/);
  assert.equal(report.keys[0]!.certValid, true);
  assert.equal(report.canonical!.sha256, certVector.signed_string_sha256);
});

test('certificate mode: alipay_cert_sn not among the configured certificates', () => {
  const report = diagnoseNotify({ ...certVector.params!, alipay_cert_sn: '0123456789abcdef0123456789abcdef' }, certOptions);
  assert.equal(report.cause, 'cert-sn-not-found');
  assert.equal(report.error?.code, 'ERR_CERT_NOT_FOUND');
  assert.equal(report.certificate!.found, false);
  assert.equal(report.certificate!.declaredSn, '0123456789abcdef0123456789abcdef');
  assert.match(report.summary, /opens under the configured certificate [0-9a-f]{32}/);
});

test('certificate mode: certificate outside its validity period', () => {
  const report = diagnoseNotify(certVector.params!, { ...certOptions, now: () => new Date('2100-01-01T00:00:00Z') });
  assert.equal(report.cause, 'cert-invalid');
  assert.equal(report.error?.code, 'ERR_CERT_INVALID');
  assert.equal(report.keys[0]!.certValid, false);
});

test('verifyNotify errors stay short; the diagnosis is opt-in', () => {
  const { body } = signNotification(refund(), { privateKey: appKey.privateKey });
  assert.throws(
    () => verifyNotify(body, options),
    (err: AlipayNotifyError) => err.code === 'ERR_SIGNATURE_INVALID' && err.message.length < 60 && !/app public key|sha256:/.test(err.message),
  );
});

test('random bytes never make diagnoseNotify throw', () => {
  for (let i = 0; i < 50; i++) {
    const junk = Buffer.from(Array.from({ length: 1 + ((i * 37) % 300) }, (_, j) => (i * 131 + j * 17) % 256));
    const report = diagnoseNotify(junk, options);
    assert.equal(report.ok, false);
    assertJson(report);
  }
});
