// Shared by the diagnoseNotify tests: a throwaway "Alipay" key, the options that trust it, and
// refunds signed with it; each test then breaks one thing and reads the report.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { importAlipayPublicKey } from '../../../src/crypto/import-public-key.js';
import type { DiagnoseNotifyOptions } from '../../../src/diagnose/diagnose-notify.js';
import type { NotifyDiagnosis } from '../../../src/diagnose/notify-diagnosis.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../../src/testing/index.js';

export const alipay = generateTestKeyPair();
/** Plays the merchant's own app key pair. */
export const appKey = generateTestKeyPair();
export const APP_ID = '2021000000000000';
/** The seller_id buildRefundFields writes. */
export const PARTNER = '2088000000000000';
export const options: DiagnoseNotifyOptions = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID };
export const fingerprint = importAlipayPublicKey(alipay.publicKey).fingerprint;

/** A partial refund with a Chinese subject, so that charset mistakes show. */
export function refund(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  return buildRefundFields('partial', { overrides: { subject: '测试退款 iPhone', ...overrides } });
}

/** `fields` signed by the "Alipay" key. */
export function signed(fields: Record<string, string>, sign: Parameters<typeof signNotification>[1] = {}) {
  return signNotification(fields, { privateKey: alipay.privateKey, ...sign });
}

/** A signed refund whose `sign` contains a '+' (most do; retried so that the test cannot be flaky). */
export function signedWithPlus(extra: Record<string, string> = {}) {
  for (;;) {
    const s = signed(refund(extra));
    if (s.fields['sign']!.includes('+')) return s;
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The report survives JSON unchanged: it goes to logs as it is. */
export function assertJson(report: NotifyDiagnosis): void {
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
}

export function causes(report: NotifyDiagnosis): string[] {
  return report.findings.map((f) => f.cause);
}
