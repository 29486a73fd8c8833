// diagnoseNotify (src/diagnose/diagnose-notify.ts): every cause it can report, each triggered by a
// notification signed here with a throwaway "Alipay" key, or by a real certificate vector where a
// certificate is needed. What it reads from the signature: inspect-signature.test.ts; the signed
// strings it tries: sign-string-variants.test.ts; the bound on its work: diagnose-budget.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotifyBody } from '../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { diagnoseNotify, type DiagnoseNotifyOptions } from '../../src/diagnose/diagnose-notify.js';
import { AlipayNotifyError, NotifyConfigError } from '../../src/errors/index.js';
import { encodeFormBody } from '../../src/testing/encode-form-body.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';
import { verifyNotify } from '../../src/verifier/verify-notify.js';
import { verified } from '../support/vectors.js';
import {
  alipay,
  APP_ID,
  appKey,
  assertJson,
  causes,
  fingerprint,
  options,
  PARTNER,
  refund,
  sha256,
  signed,
} from './support/signed-refunds.js';

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
  assert.deepEqual(
    report.keys.map((k) => [k.fingerprint, k.opens, k.hash, k.hashMatchesSignType]),
    [[fingerprint, true, 'sha256', true]],
  );
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
  for (const bad of [
    Buffer.alloc(0),
    '',
    'a=1&a=2',
    { subject: ['x', 'y'] } as unknown as Record<string, string>,
    Buffer.from([0xff, 0x00, 0x26, 0x3d]),
  ]) {
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

test('sign_type not in signTypes', () => {
  const { body } = signed(refund(), { signType: 'RSA' });
  const report = diagnoseNotify(body, options);
  assert.equal(report.cause, 'sign-type-not-accepted');
  assert.equal(report.error?.code, 'ERR_SIGN_TYPE_UNSUPPORTED');
  assert.deepEqual(report.signType, { declared: 'RSA', accepted: ['RSA2'], isAccepted: false });
  assert.equal(report.matchedVariant!.id, 'none');
  assert.equal(diagnoseNotify(body, { ...options, signTypes: ['RSA'] }).ok, true);
});

test('no sign_type with several accepted types: not guessed, and the report says why', () => {
  const { fields } = signed(refund());
  const { sign_type: _dropped, ...rest } = fields;
  const report = diagnoseNotify(encodeFormBody(rest), { ...options, signTypes: ['RSA2', 'RSA'] });
  assert.equal(report.error!.code, 'ERR_SIGN_TYPE_UNSUPPORTED');
  assert.deepEqual(report.signType, { declared: null, accepted: ['RSA2', 'RSA'], isAccepted: false });
  assert.ok(causes(report).includes('sign-type-not-accepted'));
  assert.match(report.summary, /no sign_type and signTypes lists several \(RSA2, RSA\)/);
});

test('MD5: wrong partner key or changed content, and MD5 without md5Key', () => {
  const fields = refund();
  const { body } = signNotification(fields, { md5Key: 'right-key', signType: 'MD5' });
  const md5 = { md5Key: 'right-key', signTypes: ['MD5'] as const, appId: APP_ID };
  assert.equal(diagnoseNotify(body, { ...md5, signTypes: ['MD5'] }).ok, true);
  const wrong = diagnoseNotify(body, { ...md5, signTypes: ['MD5'], md5Key: 'not-the-partner-key' });
  assert.equal(wrong.cause, 'md5-mismatch');
  assert.deepEqual(
    wrong.keys.map((k) => k.fingerprint),
    ['md5'],
  );
  assert.ok(!JSON.stringify(wrong).includes('not-the-partner-key'), 'the md5Key never appears in the report');
  const framework = diagnoseNotify(encodeFormBody({ ...parseNotifyBody(body).fields, _config: 'v3' }), {
    ...md5,
    signTypes: ['MD5'],
  });
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

test('legacy MAPI recipients: another partner, and an app_id when only partner is configured', () => {
  const noAppId = signed(refund({ app_id: '' }));
  const otherPartner = diagnoseNotify(noAppId.body, {
    alipayPublicKey: alipay.publicKeyBase64,
    partner: '2088999999999999',
  });
  assert.equal(otherPartner.cause, 'seller-id-mismatch');
  assert.deepEqual(otherPartner.recipient, {
    ok: false,
    field: 'seller_id',
    received: PARTNER,
    expected: ['2088999999999999'],
  });

  const withAppId = diagnoseNotify(signed(refund()).body, {
    alipayPublicKey: alipay.publicKeyBase64,
    partner: PARTNER,
  });
  assert.equal(withAppId.cause, 'app-id-mismatch');
  assert.deepEqual(withAppId.recipient, { ok: false, field: 'app_id', received: APP_ID, expected: [] });
  assert.match(withAppId.summary, /but the options expect a partner option for legacy MAPI notifications/);

  const neither = diagnoseNotify(noAppId.body, options);
  assert.deepEqual(neither.recipient, { ok: false, field: 'app_id', received: null, expected: [APP_ID] });
  assert.match(neither.summary, /app_id is \(absent\) but the options expect 2021000000000000/);
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
  const report = diagnoseNotify(
    { ...certVector.params!, alipay_cert_sn: '0123456789abcdef0123456789abcdef' },
    certOptions,
  );
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
    (err: AlipayNotifyError) =>
      err.code === 'ERR_SIGNATURE_INVALID' && err.message.length < 60 && !/app public key|sha256:/.test(err.message),
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

test('three findings or more are counted in the summary', () => {
  const other = generateTestKeyPair();
  const { fields } = signNotification(buildRefundFields('partial'), { privateKey: other.privateKey, signType: 'RSA' });
  const report = diagnoseNotify(encodeFormBody(fields), { ...options, appId: '2021999999999999' });
  assert.ok(report.findings.length >= 3, JSON.stringify(causes(report)));
  assert.match(report.summary, new RegExp(`\\(\\+${report.findings.length - 1} more findings\\)$`));
});

test('a folded body: the diagnosis says the signature is genuine but the content has a second reading', () => {
  const alipayKey = generateTestKeyPair();
  const genuine = signNotification(buildRefundFields('partial'), { privateKey: alipayKey.privateKey }).fields;
  const folded: Record<string, string> = {
    ...genuine,
    notify_id: `${genuine['notify_id']}&notify_time=${genuine['notify_time']}`,
  };
  delete folded['notify_time'];
  const report = diagnoseNotify(encodeFormBody(folded), {
    alipayPublicKey: alipayKey.publicKey,
    appId: '2021000000000000',
  });
  assert.equal(report.ok, false);
  assert.deepEqual(report.error, { code: 'ERR_SIGNATURE_AMBIGUOUS', field: 'notify_id' });
  assert.equal(report.cause, 'signature-ambiguous');
});

test('an expired notification: the diagnosis names the freshness window', () => {
  const alipayKey = generateTestKeyPair();
  const { body } = signNotification(buildRefundFields('partial', { now: new Date('2020-01-01T00:00:00Z') }), {
    privateKey: alipayKey.privateKey,
  });
  const report = diagnoseNotify(body, {
    alipayPublicKey: alipayKey.publicKey,
    appId: '2021000000000000',
    maxNotifyAgeMs: 60_000,
  });
  assert.equal(report.error?.code, 'ERR_NOTIFY_EXPIRED');
  assert.equal(report.cause, 'notify-expired');
});
