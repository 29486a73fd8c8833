// The test signer (signNotification, src/testing/sign-notification.ts, over src/crypto/sign.ts):
// it needs the key its sign type uses, takes a KeyObject, and signs MD5 the MAPI way.
import assert from 'node:assert/strict';
import { createHash, createPrivateKey } from 'node:crypto';
import { test } from 'node:test';
import { verifyNotify } from '../../src/index.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const pair = generateTestKeyPair();

test('the test signer needs the key its sign type uses', () => {
  assert.throws(() => signNotification({ a: '1' }, { signType: 'MD5' }), {
    name: 'TypeError',
    message: /md5Key is required/,
  });
  assert.throws(() => signNotification({ a: '1' }), { name: 'TypeError', message: /privateKey is required/ });
});

test('it takes a KeyObject as well as a PEM, and what it signs verifies', () => {
  const { body } = signNotification(buildRefundFields('partial'), { privateKey: createPrivateKey(pair.privateKey) });
  assert.equal(verifyNotify(body, { alipayPublicKey: pair.publicKey, appId: '2021000000000000' }).kind, 'trade_refund');
});

test('MD5: the hex MD5 of the signed string (sorted, without sign and sign_type) followed by the partner key', () => {
  const { fields } = signNotification({ b: '2', a: '1' }, { signType: 'MD5', md5Key: 'k' });
  assert.equal(fields['sign_type'], 'MD5');
  assert.equal(fields['sign'], createHash('md5').update('a=1&b=2k', 'utf8').digest('hex'));
});
