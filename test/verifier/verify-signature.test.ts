// verifySignature (src/verifier/verify-signature.ts, a building block): MD5 with the partner key,
// which it needs, and a sign type it does not know refused instead of a guessed hash.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { verifySignature } from '../../src/building-blocks.js';
import { generateTestKeyPair } from '../../src/testing/index.js';

const alipay = generateTestKeyPair();
const content = Buffer.from('a=1&b=2', 'utf8');

test('verifySignature checks MD5 with the partner key, and needs that key', () => {
  const sign = createHash('md5').update(content).update('partner-key', 'utf8').digest('hex');
  assert.deepEqual(verifySignature(content, sign, 'MD5', { md5Key: 'partner-key' }), { fingerprint: 'md5' });
  assert.throws(() => verifySignature(content, sign, 'MD5', { md5Key: 'another-key' }), {
    code: 'ERR_SIGNATURE_INVALID',
  });
  assert.throws(() => verifySignature(content, sign, 'MD5', {}), { code: 'ERR_CONFIG', option: 'md5Key' });
  assert.throws(() => verifySignature(content, sign, 'MD5', { md5Key: '' }), { code: 'ERR_CONFIG', option: 'md5Key' });
});

test('verifySignature refuses a sign type it does not know instead of guessing a hash', () => {
  assert.throws(() => verifySignature(content, 'AAAA', 'ECDSA' as never, { alipayPublicKey: alipay.publicKeyBase64 }), {
    code: 'ERR_SIGN_TYPE_UNSUPPORTED',
  });
});
