// The work of one diagnosis is bounded whatever the body: at most 200 candidate signed strings, at
// most 4 MiB of them hashed, one raw RSA opening per configured key. Asserted by counting (the
// report's `work`, and the candidates signStringVariants returns), never by timing, on forged
// 200-field bodies that used to cost thousands of candidates; what was left out is reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotifyBody } from '../../src/body/parse-notify-body.js';
import { diagnoseNotify, type DiagnoseNotifyOptions } from '../../src/diagnose/diagnose-notify.js';
import { DiagnosisBudget, MAX_DIAGNOSIS_BYTES, MAX_DIAGNOSIS_VARIANTS } from '../../src/diagnose/diagnosis-budget.js';
import type { NotifyDiagnosis } from '../../src/diagnose/notify-diagnosis.js';
import { signStringVariants } from '../../src/diagnose/sign-string-variants.js';
import { encodeFormBody } from '../../src/testing/encode-form-body.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const alipay = generateTestKeyPair();
const APP_ID = '2021000000000000';
const options: DiagnoseNotifyOptions = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID };
const MAX_FIELDS = 200; // the parser's default limit

/**
 * A refund notification padded to 200 fields, each value catching every transform: spaces inside
 * and around it ('+' kept, trimmed), an HTML entity, a percent escape (decoded twice), Chinese text
 * (other charset), and some empty values; with sign_type and alipay_cert_sn, so that all eight
 * signing rules apply. `value(i)` makes the padding values.
 */
function forgedFields(value: (i: number) => string, room = 0): Record<string, string> {
  const fields: Record<string, string> = {
    ...buildRefundFields('partial', {
      overrides: { subject: '测试退款 iPhone', alipay_cert_sn: '0123456789abcdef0123456789abcdef' },
    }),
  };
  // 200 with sign and sign_type, which signNotification adds (less `room` for fields added later).
  for (let i = 0; Object.keys(fields).length < MAX_FIELDS - 2 - room; i++)
    fields[`extra_${i}`] = i % 10 === 0 ? '' : value(i);
  return fields;
}

const bigValue = (i: number): string => ` 退款 a&quot;b %41 ${'x'.repeat(290)} ${i} `;

/** The forged 200-field body (about 55 KB) signed by the right key, then one value changed. */
function forgedTamperedBody(sign: { signType?: 'RSA2' | 'RSA' } = {}): Buffer {
  const { fields } = signNotification(forgedFields(bigValue), { privateKey: alipay.privateKey, ...sign });
  return encodeFormBody({ ...fields, refund_fee: '99.00' });
}

function assertBounded(report: NotifyDiagnosis): void {
  assert.deepEqual(report.work.limits, { variants: MAX_DIAGNOSIS_VARIANTS, bytes: MAX_DIAGNOSIS_BYTES });
  assert.ok(report.work.stringsBuilt <= MAX_DIAGNOSIS_VARIANTS, `built ${report.work.stringsBuilt}`);
  assert.ok(report.variantsTried <= report.work.stringsBuilt, `${report.variantsTried} > ${report.work.stringsBuilt}`);
  assert.ok(report.work.bytesHashed <= MAX_DIAGNOSIS_BYTES, `hashed ${report.work.bytesHashed}`);
  assert.ok(report.variants.length <= report.variantsTried);
}

test('the forged body is what it should be: 200 fields, about 55 KB, under the default body limit', () => {
  const body = forgedTamperedBody();
  assert.equal(parseNotifyBody(body).names.length, MAX_FIELDS);
  assert.ok(body.length > 50_000 && body.length <= 65_536, String(body.length));
});

test('a forged 200-field body: at most 200 strings and 4 MiB hashed, one RSA opening, and the rest reported', () => {
  const report = diagnoseNotify(forgedTamperedBody(), options);
  assert.equal(report.cause, 'content-changed');
  assertBounded(report);
  assert.equal(report.work.rsaOpens, 1);
  const notTried = report.notTried!;
  assert.ok(notTried !== null, 'the candidates left out are reported');
  assert.equal(notTried.limit, 'bytes');
  // Thousands of candidates (two per field under eight rules) were not built.
  assert.ok(notTried.variants > 2000, String(notTried.variants));
  assert.equal(
    Object.values(notTried.byChange).reduce((a, b) => a + b, 0),
    notTried.variants,
  );
  assert.ok(
    notTried.byChange['field-removed']! > 0 && notTried.byChange['plus-kept']! > 0,
    JSON.stringify(notTried.byChange),
  );
  assert.match(
    notTried.note,
    new RegExp(
      `^candidate signed strings not tried: ${notTried.variants} \\(.*\\), because the limit of 4 MiB hashed per diagnosis was reached`,
    ),
  );
  assert.match(
    report.summary,
    new RegExp(`\\(${report.variantsTried} tried, ${notTried.variants} not tried to bound the work\\)`),
  );
  // Every body-wide change was tried under every rule before any single-field one.
  for (const change of ['none', 'other-charset', 'decoded-twice', 'trimmed', 'html-unescaped'] as const) {
    assert.equal(report.variants.filter((v) => v.change === change).length, 8, change);
  }
  // The report stays small: it lists at most the strings tried, each described in one line.
  assert.ok(JSON.stringify(report).length < 100_000, String(JSON.stringify(report).length));
});

test('the variant limit: 200 short fields give hundreds of candidates, 200 are built', () => {
  const { fields } = signNotification(
    forgedFields((i) => `a b ${i}`),
    { privateKey: alipay.privateKey },
  );
  const report = diagnoseNotify(encodeFormBody({ ...fields, refund_fee: '99.00' }), options);
  assertBounded(report);
  assert.equal(report.work.stringsBuilt, MAX_DIAGNOSIS_VARIANTS);
  assert.equal(report.notTried!.limit, 'variants');
  assert.match(report.notTried!.note, /the limit of 200 candidate strings per diagnosis was reached/);
  assert.equal(report.cause, 'content-changed');
});

test('a likely change is still found in a forged 200-field body: body-wide changes come first', () => {
  const { fields } = signNotification(forgedFields(bigValue, 1), { privateKey: alipay.privateKey });
  const report = diagnoseNotify(encodeFormBody({ _config: 'default', ...fields }), options);
  assertBounded(report);
  assert.notEqual(report.notTried, null);
  assert.equal(report.matchedVariant!.id, 'framework-params-removed');
  assert.equal(report.cause, 'variant-match');
});

test('one RSA opening per configured key, whatever the number of candidates; SHA-1 and MD5 stay bounded', () => {
  const others = [generateTestKeyPair(1024), generateTestKeyPair(1024)];
  const keys = [others[0]!.publicKeyBase64, others[1]!.publicKeyBase64, alipay.publicKeyBase64];
  const sha256 = diagnoseNotify(forgedTamperedBody(), { ...options, alipayPublicKey: keys });
  assertBounded(sha256);
  assert.equal(sha256.work.rsaOpens, 3);
  assert.deepEqual(
    sha256.keys.map((k) => k.opens),
    [false, false, true],
  );

  // SHA-1: each candidate is hashed twice (its SHA-256 for the report, then SHA-1), still within 4 MiB.
  const sha1 = diagnoseNotify(forgedTamperedBody({ signType: 'RSA' }), { ...options, signTypes: ['RSA'] });
  assert.equal(sha1.cause, 'content-changed');
  assertBounded(sha1);
  assert.equal(sha1.work.rsaOpens, 1);
  assert.ok(
    sha1.work.stringsBuilt < sha256.work.stringsBuilt,
    `${sha1.work.stringsBuilt} vs ${sha256.work.stringsBuilt}`,
  );

  // MD5: no RSA at all, content + key hashed per candidate.
  const { fields } = signNotification(forgedFields(bigValue), { md5Key: 'partner-key', signType: 'MD5' });
  const md5 = diagnoseNotify(encodeFormBody({ ...fields, refund_fee: '99.00' }), {
    md5Key: 'partner-key',
    signTypes: ['MD5'],
    appId: APP_ID,
  });
  assert.equal(md5.cause, 'md5-mismatch');
  assertBounded(md5);
  assert.equal(md5.work.rsaOpens, 0);
  assert.match(md5.summary, /not tried to bound the work/);
});

test('a genuine notification: everything tried, nothing reported left out', () => {
  const { body } = signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey });
  const report = diagnoseNotify(body, options);
  assert.equal(report.ok, true);
  assert.equal(report.notTried, null);
  assert.equal(report.work.rsaOpens, 1);
  assert.ok(report.work.stringsBuilt >= report.variantsTried && report.variantsTried > 20);
  assert.ok(report.work.bytesHashed > 0 && report.work.bytesHashed <= MAX_DIAGNOSIS_BYTES);
});

test('a body-invalid report did no work', () => {
  const report = diagnoseNotify('a=1&a=2', options);
  assert.deepEqual(report.work, {
    stringsBuilt: 0,
    bytesHashed: 0,
    rsaOpens: 0,
    limits: { variants: MAX_DIAGNOSIS_VARIANTS, bytes: MAX_DIAGNOSIS_BYTES },
  });
  assert.equal(report.notTried, null);
});

// ---- signStringVariants under a given budget: the candidates it returns are the ones it built ----

const genuine = parseNotifyBody(
  signNotification(buildRefundFields('partial', { overrides: { subject: '退款 a b' } }), {
    privateKey: alipay.privateKey,
  }).body,
);

test('signStringVariants: a budget of 10 strings builds 10', () => {
  const budget = new DiagnosisBudget(10);
  const { variants, notTried } = signStringVariants(genuine, new Set(), false, budget);
  assert.equal(budget.stringsBuilt, 10);
  assert.ok(variants.length <= 10 && variants.length > 0);
  assert.equal(variants[0]!.id, 'none');
  assert.equal(notTried!.limit, 'variants');
  assert.match(notTried!.note, /the limit of 10 candidate strings per diagnosis/);
  // What it hashed covers at least the strings it returned.
  assert.ok(budget.bytesHashed >= variants.reduce((n, v) => n + v.bytes.length, 0));
});

test('signStringVariants: a byte budget stops at the string that would go over it, and says so in bytes', () => {
  const size = signStringVariants(genuine).variants[0]!.bytes.length;
  const budget = new DiagnosisBudget(200, size * 3);
  const { variants, notTried } = signStringVariants(genuine, new Set(), false, budget);
  assert.ok(budget.bytesHashed <= size * 3, `${budget.bytesHashed} > ${size * 3}`);
  assert.ok(variants.length >= 2 && variants.length <= 3, String(variants.length));
  assert.equal(notTried!.limit, 'bytes');
  assert.match(notTried!.note, new RegExp(`the limit of ${size * 3} bytes hashed per diagnosis`));
  // SHA-1 or MD5 signatures hash each string twice: half as many fit.
  const twice = new DiagnosisBudget(200, size * 3);
  twice.hashesPerString = 2;
  assert.equal(signStringVariants(genuine, new Set(), false, twice).variants.length, 1);
});

test('signStringVariants: the documented string is always built, even when it alone is over the byte budget', () => {
  const budget = new DiagnosisBudget(200, 10);
  const { variants, notTried } = signStringVariants(genuine, new Set(), false, budget);
  assert.deepEqual(
    variants.map((v) => v.id),
    ['none'],
  );
  assert.equal(variants[0]!.triedByVerifier, true);
  assert.equal(notTried!.limit, 'bytes');
  assert.ok(notTried!.variants > 20);
});
