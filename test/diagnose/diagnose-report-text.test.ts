// What the diagnosis quotes from the request is clipped: values (sign_type, alipay_cert_sn, app_id),
// field names and lists of them, and the canonical string, so that a forged request cannot write
// kilobytes of its own text into the report (which goes to logs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clipNames,
  clipText,
  MAX_CANONICAL_TEXT,
  MAX_REPORTED_NAMES,
  MAX_REPORTED_TEXT,
} from '../../src/diagnose/clip-text.js';
import { diagnoseNotify } from '../../src/diagnose/diagnose-notify.js';
import type { NotifyDiagnosis } from '../../src/diagnose/notify-diagnosis.js';
import { encodeFormBody } from '../../src/testing/encode-form-body.js';
import {
  buildRefundFields,
  generateTestCertificates,
  generateTestKeyPair,
  signNotification,
  signNotificationWithCertificate,
} from '../../src/testing/index.js';

const alipay = generateTestKeyPair();
const APP_ID = '2021000000000000';
const LONG = 'Q'.repeat(5000);
const clipped = `${'Q'.repeat(MAX_REPORTED_TEXT)}…`;

/** Every string of the report, with where it is. */
function strings(value: unknown, at = 'report'): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

function assertNoLongRun(report: NotifyDiagnosis): void {
  for (const [at, text] of strings(report)) {
    if (at === 'report.canonical.text') continue;
    assert.ok(!text.includes('Q'.repeat(MAX_REPORTED_TEXT + 1)), `${at} quotes ${text.length} characters`);
  }
}

test('long values and many query names: every quote clipped, the canonical string to 4096 characters', () => {
  const { fields } = signNotification(buildRefundFields('partial', { overrides: { subject: LONG } }), {
    privateKey: alipay.privateKey,
  });
  const extra: Record<string, string> = {};
  for (let i = 0; i < 30; i++) extra[`q${i}`] = 'v';
  const body = encodeFormBody({ ...fields, ...extra, sign_type: LONG, app_id: LONG, alipay_cert_sn: LONG });
  const report = diagnoseNotify(body, {
    alipayPublicKey: alipay.publicKeyBase64,
    appId: APP_ID,
    query: new URLSearchParams(extra),
  });
  assert.equal(report.ok, false);
  assertNoLongRun(report);
  assert.equal(report.signType!.declared, clipped);
  assert.equal(report.certificate!.declaredSn, clipped);
  // The verifier's own recipient error carries at most 64 characters (test/verifier/check-recipient.test.ts).
  const received = `${LONG.slice(0, 64)}…`;
  assert.equal(report.recipient!.received, received);
  assert.ok(
    report.findings.some((f) => f.message === `sign_type ${clipped} is not in signTypes (RSA2)`),
    JSON.stringify(report.findings),
  );
  assert.ok(report.findings.some((f) => f.message.startsWith(`app_id is ${received} but`)));
  // The canonical string: its head, then '…'; its length and hash are those of the whole.
  assert.equal(Array.from(report.canonical!.text).length, MAX_CANONICAL_TEXT + 1);
  assert.ok(report.canonical!.text.endsWith('…'));
  assert.ok(report.canonical!.bytes > 3 * 5000, String(report.canonical!.bytes));
  // The query fields left out: 20 names, then how many more.
  const query = report.variants.find((v) => v.change === 'query-params-removed')!;
  assert.equal(query.removed.length, MAX_REPORTED_NAMES + 1);
  assert.equal(query.removed.at(-1), '…+10 more');
  assert.match(query.description, /^without q0, q1, .*q19, …\+10 more: the notify_url query string/);
});

test('certificate mode: an unknown, long alipay_cert_sn is quoted clipped', () => {
  const certs = generateTestCertificates({ bits: 1024 });
  const { fields } = signNotificationWithCertificate(buildRefundFields('partial'), certs);
  const report = diagnoseNotify(encodeFormBody({ ...fields, alipay_cert_sn: LONG }), {
    alipayPublicCert: certs.alipayPublicCert,
    appId: APP_ID,
  });
  assert.equal(report.cause, 'cert-sn-not-found');
  assertNoLongRun(report);
  assert.equal(report.certificate!.declaredSn, clipped);
  assert.ok(report.summary.includes(`alipay_cert_sn ${clipped} is not the SN`), report.summary);
});

test('a genuine notification is quoted whole', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { subject: 'x'.repeat(1000) } }), {
    privateKey: alipay.privateKey,
  });
  const report = diagnoseNotify(body, { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID });
  assert.equal(report.ok, true);
  assert.ok(report.canonical!.text.includes(`subject=${'x'.repeat(1000)}&`));
  assert.equal(Buffer.byteLength(report.canonical!.text), report.canonical!.bytes);
});

test('clipText counts whole characters and never splits one; clipNames says how many it left out', () => {
  assert.equal(clipText('abc'), 'abc');
  assert.equal(clipText('𝐐'.repeat(300)), `${'𝐐'.repeat(MAX_REPORTED_TEXT)}…`);
  // 150 characters in 300 UTF-16 code units: not clipped.
  assert.equal(clipText('𝐐'.repeat(150)), '𝐐'.repeat(150));
  assert.equal(clipText('abcdef', 3), 'abc…');
  assert.deepEqual(clipNames(['a', 'b']), ['a', 'b']);
  const many = Array.from({ length: 25 }, (_, i) => `n${i}`);
  assert.deepEqual(clipNames(many), [...many.slice(0, 20), '…+5 more']);
  assert.deepEqual(clipNames(['z'.repeat(300)]), [`${'z'.repeat(200)}…`]);
});
