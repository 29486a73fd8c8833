// importAlipayPublicKey (src/crypto/import-public-key.ts): every form the Alipay console or a
// KeyObject gives imports to the same key, and what is not an Alipay RSA public key is ERR_CONFIG
// naming the option. (The forms accepted through verifyNotify: test/verifier/verify-notify.test.ts.)
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { importAlipayPublicKey } from '../../src/crypto/import-public-key.js';
import { generateTestKeyPair } from '../../src/testing/index.js';

const pair = generateTestKeyPair();
const key = importAlipayPublicKey(pair.publicKeyBase64);

test('a private KeyObject, a non-base64 string, a number and an EC key are all ERR_CONFIG for the option', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const cases: [unknown, RegExp][] = [
    [createPrivateKey(pair.privateKey), /got a private or secret key/],
    ['this is not a key!', /not a readable RSA public key/],
    [12345, /not a readable RSA public key/],
    [ec.publicKey, /must be an RSA key/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => importAlipayPublicKey(input as never, 'alipayPublicKey'),
      (err: Error & { code?: string; option?: string }) => {
        assert.equal(err.code, 'ERR_CONFIG');
        assert.equal(err.option, 'alipayPublicKey');
        assert.match(err.message, message);
        return true;
      },
    );
  }
});

test('a public KeyObject and PKCS#1 DER import to the same key as the console base64', () => {
  const object = importAlipayPublicKey(createPublicKey(pair.publicKey));
  const pkcs1 = importAlipayPublicKey(createPublicKey(pair.publicKey).export({ format: 'der', type: 'pkcs1' }));
  assert.equal(object.fingerprint, key.fingerprint);
  assert.equal(pkcs1.fingerprint, key.fingerprint);
});
