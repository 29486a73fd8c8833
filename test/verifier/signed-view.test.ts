// The typed notification is built only from what was signed: empty fields (skipped by the
// documented rule) are not in `fields`; with sellerId configured a seller_id cannot be dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyNotify, type NotifyVerifierOptions } from '../../src/index.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const options: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKey, appId: APP_ID };

test('empty fields are not signed, so they are not in fields; sign and sign_type stay', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { body: '', passback_params: '' } }), { privateKey: alipay.privateKey });
  const n = verifyNotify(body, options);
  assert.equal('body' in n.fields, false);
  assert.equal('passback_params' in n.fields, false);
  assert.equal(typeof n.fields['sign'], 'string');
  assert.equal(n.fields['sign_type'], 'RSA2');
});

test('an empty field that was signed (the keep-empty variant verified) stays in fields', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { body: '' } }), { privateKey: alipay.privateKey, keepEmpty: true });
  assert.equal(verifyNotify(body, options).fields['body'], '');
});

test('with sellerId configured, a trade_status_sync without seller_id is refused', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { seller_id: undefined } }), { privateKey: alipay.privateKey });
  assert.equal(verifyNotify(body, options).kind, 'trade_refund');
  assert.throws(() => verifyNotify(body, { ...options, sellerId: '2088000000000000' }), { code: 'ERR_SELLER_ID_MISMATCH', field: 'seller_id', received: undefined });
});

test('a recipient mismatch carries at most 64 characters of what was received', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { app_id: '9'.repeat(500) } }), { privateKey: alipay.privateKey });
  assert.throws(() => verifyNotify(body, options), (err: Error & { received?: string }) => err.received!.length === 65 && err.received!.endsWith('…'));
});
