// Which signed string and which algorithm the verifier checks (src/verifier/check-signature.ts):
// without sign_type, the one accepted type is used and several are never guessed among.
// (The sign_type-kept fallback of gateway messages: test/map/gateway-messages.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyNotify } from '../../src/index.js';
import { buildSignContent, parseNotifyBody } from '../../src/building-blocks.js';
import { buildRefundFields, encodeFormBody, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();

test('without sign_type, a verifier that accepts several types does not guess one', () => {
  const { fields } = signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey });
  const { sign_type: _dropped, ...rest } = fields;
  const body = encodeFormBody(rest);
  const two = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, signTypes: ['RSA2', 'RSA'] } as const;
  assert.throws(
    () => verifyNotify(body, two),
    (err: Error & { code?: string; signType?: unknown }) => {
      assert.equal(err.code, 'ERR_SIGN_TYPE_UNSUPPORTED');
      assert.equal(err.signType, undefined);
      return true;
    },
  );
  // With the one type pinned, the same body verifies: sign_type is not part of the signed string.
  assert.equal(
    verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID }).notifyId,
    fields['notify_id'],
  );
  assert.equal(buildSignContent(parseNotifyBody(body)).includes(Buffer.from('sign_type')), false);
});
