// The typed notification is built only from what was signed (src/verifier/signed-view.ts): empty
// fields, skipped by the documented rule, are not in `fields`; an empty field that was signed is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyNotify, type NotifyVerifierOptions } from '../../src/index.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const options: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKey, appId: APP_ID };

test('empty fields are not signed, so they are not in fields; sign and sign_type stay', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { body: '', passback_params: '' } }), {
    privateKey: alipay.privateKey,
  });
  const n = verifyNotify(body, options);
  assert.equal('body' in n.fields, false);
  assert.equal('passback_params' in n.fields, false);
  assert.equal(typeof n.fields['sign'], 'string');
  assert.equal(n.fields['sign_type'], 'RSA2');
});

test('an empty field that was signed (the keep-empty variant verified) stays in fields', () => {
  const { body } = signNotification(buildRefundFields('partial', { overrides: { body: '' } }), {
    privateKey: alipay.privateKey,
    keepEmpty: true,
  });
  assert.equal(verifyNotify(body, options).fields['body'], '');
});
