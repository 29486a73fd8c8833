// verifyMd5Signature (src/crypto/verify-md5.ts): MAPI's MD5 "signature" is the lowercase hex MD5 of
// the signed string followed by the partner key.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { verifyMd5Signature } from '../../src/crypto/verify-md5.js';

const content = Buffer.from('a=1&b=2', 'utf8');

test('an MD5 sign in uppercase hex does not verify: a case change is a change to the body', () => {
  const sign = createHash('md5').update(content).update('partner-key', 'utf8').digest('hex');
  assert.equal(verifyMd5Signature(content, 'partner-key', sign), true);
  assert.equal(verifyMd5Signature(content, 'partner-key', sign.toUpperCase()), false);
});

test('another partner key, or another signed string, does not verify', () => {
  const sign = createHash('md5').update(content).update('partner-key', 'utf8').digest('hex');
  assert.equal(verifyMd5Signature(content, 'another-key', sign), false);
  assert.equal(verifyMd5Signature(Buffer.from('a=1&b=3', 'utf8'), 'partner-key', sign), false);
});
