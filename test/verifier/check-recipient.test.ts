// Whose notification it is (src/verifier/check-recipient.ts): app_id, or for legacy MAPI the
// partner in seller_id, and a configured sellerId that a notification cannot drop. (The plain
// app_id, sellerId and partner cases: test/verifier/verify-notify.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyNotify, type NotifyVerifierOptions } from '../../src/index.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const PARTNER = '2088101122136241';
const alipay = generateTestKeyPair();
const options: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKey, appId: APP_ID };

test('with sellerId configured, a trade_status_sync without seller_id is refused', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { seller_id: undefined } }), {
    privateKey: alipay.privateKey,
  });
  assert.equal(verifyNotify(body, options).kind, 'trade_refund');
  assert.throws(() => verifyNotify(body, { ...options, sellerId: '2088000000000000' }), {
    code: 'ERR_SELLER_ID_MISMATCH',
    field: 'seller_id',
    received: undefined,
  });
});

test('a recipient mismatch carries at most 64 characters of what was received', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { app_id: '9'.repeat(500) } }), {
    privateKey: alipay.privateKey,
  });
  assert.throws(
    () => verifyNotify(body, options),
    (err: Error & { received?: string }) => err.received!.length === 65 && err.received!.endsWith('…'),
  );
});

test('an empty app_id is no app_id: accepted as legacy MAPI with a partner; an RSA-signed one needs a seller_id of the partner', () => {
  const fields = buildRefundFields('partial', { overrides: { app_id: '', seller_id: PARTNER } });
  const { body } = signNotification(fields, { privateKey: alipay.privateKey });
  const n = verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, partner: PARTNER });
  assert.equal(n.notifyId, fields['notify_id']);
  assert.throws(() => verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID }), {
    code: 'ERR_APP_ID_MISMATCH',
    received: undefined,
  });
  // An empty seller_id is no seller_id, and with RSA (a key shared by every MAPI merchant) that is refused.
  const noSeller = signNotification(buildRefundFields('partial', { overrides: { app_id: '', seller_id: '' } }), {
    privateKey: alipay.privateKey,
  }).body;
  assert.throws(() => verifyNotify(noSeller, { alipayPublicKey: alipay.publicKeyBase64, partner: PARTNER }), {
    code: 'ERR_SELLER_ID_MISMATCH',
    received: undefined,
  });
});
