import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlipaySdk } from 'alipay-sdk';
import fc from 'fast-check';
import qs from 'qs';
import { AlipayNotifyError, createNotifyVerifier } from '../../src/index.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

// The official SDK as a cross-check on UTF-8 notifications (where it is correct): both must agree
// on genuine and tampered bodies. Its checkNotifySignV2 does not decode twice
// (https://github.com/alipay/alipay-sdk-nodejs-all/issues/45 was the double decode of checkNotifySign).
const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const app = generateTestKeyPair();
const sdk = new AlipaySdk({
  appId: APP_ID,
  privateKey: app.privateKey,
  alipayPublicKey: alipay.publicKeyBase64,
  signType: 'RSA2',
});
const verifier = createNotifyVerifier({ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID });

function ours(body: Buffer): boolean {
  try {
    verifier.verify(body);
    return true;
  } catch (err) {
    if (err instanceof AlipayNotifyError) return false;
    throw err;
  }
}

const text = fc.string({
  unit: fc.constantFrom(...'abc XYZ019+%&=_-.测试退款'.split('')),
  minLength: 1,
  maxLength: 24,
});

test('agrees with the official alipay-sdk on random UTF-8 refunds, genuine and tampered', () => {
  fc.assert(
    fc.property(text, text, fc.boolean(), (subject, body, tamper) => {
      const fields = buildRefundFields('partial', { appId: APP_ID, overrides: { subject, body } });
      let raw = signNotification(fields, { privateKey: alipay.privateKey }).body;
      if (tamper) raw = Buffer.from(raw.toString('latin1').replace('refund_fee=30.00', 'refund_fee=31.00'), 'latin1');
      const official = sdk.checkNotifySignV2(qs.parse(raw.toString('latin1')));
      assert.equal(ours(raw), official);
      assert.equal(official, !tamper);
    }),
    { numRuns: 40 },
  );
});

test('on GBK the official SDK fails where we verify (the reason this library exists)', () => {
  const fields = buildRefundFields('full', { appId: APP_ID, charset: 'GBK' });
  const raw = signNotification(fields, { privateKey: alipay.privateKey }).body;
  assert.equal(ours(raw), true);
  const decoded = verifier.verify(raw).fields;
  assert.equal(sdk.checkNotifySignV2({ ...decoded }), false);
});
