import assert from 'node:assert/strict';
import { constants, createHash, privateDecrypt, privateEncrypt, sign } from 'node:crypto';
import { test } from 'node:test';
import { importAlipayPublicKey } from '../../src/crypto/import-public-key.js';
import { openRsaSignature } from '../../src/crypto/open-rsa-signature.js';
import { generateTestKeyPair } from '../../src/testing/index.js';

// The raw public-key operation behind diagnoseNotify: which hash and digest a signature holds.
const pair = generateTestKeyPair();
const other = generateTestKeyPair();
const key = importAlipayPublicKey(pair.publicKeyBase64);
const content = Buffer.from('a=1&b=测试', 'utf8');

for (const hash of ['sha256', 'sha1', 'sha512'] as const) {
  test(`recovers the ${hash} digest of a PKCS#1 v1.5 signature`, () => {
    const opened = openRsaSignature(sign(hash, content, pair.privateKey), key);
    assert.equal(opened.status, 'opened');
    assert.equal(opened.hash, hash);
    assert.equal(opened.digest!.toString('hex'), createHash(hash).update(content).digest('hex'));
  });
}

test("another key's signature does not open", () => {
  // Beyond the modulus or opening to garbage, depending on the two random moduli.
  const opened = openRsaSignature(sign('sha256', content, other.privateKey), key);
  assert.ok(opened.status === 'bad-padding' || opened.status === 'out-of-range', opened.status);
  assert.equal(opened.hash, null);
  assert.equal(opened.digest, null);
});

test('type-1 padding around something that is not a DigestInfo', () => {
  const raw = privateEncrypt(
    { key: pair.privateKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from('not a digest info'),
  );
  assert.equal(openRsaSignature(raw, key).status, 'unknown-digest');
});

test('wrong length and out of range are told apart from a wrong key', () => {
  assert.equal(openRsaSignature(Buffer.alloc(255, 1), key).status, 'wrong-length');
  assert.equal(openRsaSignature(Buffer.alloc(256, 0xff), key).status, 'out-of-range');
});

// The raw RSA private operation on a chosen block gives a "signature" that opens to exactly that
// block, so each malformed padding can be put in front of openRsaSignature.
function signatureOpeningTo(block: Buffer): Buffer {
  return privateDecrypt({ key: pair.privateKey, padding: constants.RSA_NO_PADDING }, block);
}
const size = key.bits >> 3;
const digestInfo = Buffer.concat([
  Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  createHash('sha256').update(content).digest(),
]);
function block(parts: Buffer[]): Buffer {
  const b = Buffer.concat(parts);
  assert.equal(b.length, size);
  return b;
}

test('type-1 padding opens; too few 0xff, no 0x00 separator, or a type-2 block are bad padding (RFC 8017 §9.2)', () => {
  const ffs = (n: number) => Buffer.alloc(n, 0xff);
  const good = block([Buffer.from([0, 1]), ffs(size - 3 - digestInfo.length), Buffer.from([0]), digestInfo]);
  const opened = openRsaSignature(signatureOpeningTo(good), key);
  assert.equal(opened.status, 'opened');
  assert.equal(opened.hash, 'sha256');

  const fewFfs = block([
    Buffer.from([0, 1]),
    ffs(7),
    Buffer.from([0]),
    Buffer.alloc(size - 10 - digestInfo.length, 0x11),
    digestInfo,
  ]);
  const noSeparator = block([Buffer.from([0, 1]), ffs(size - 2)]);
  const wrongSeparator = block([Buffer.from([0, 1]), ffs(size - 3 - digestInfo.length), Buffer.from([2]), digestInfo]);
  const typeTwo = block([Buffer.from([0, 2]), ffs(size - 3 - digestInfo.length), Buffer.from([0]), digestInfo]);
  for (const [name, b] of Object.entries({ fewFfs, noSeparator, wrongSeparator, typeTwo })) {
    assert.equal(openRsaSignature(signatureOpeningTo(b), key).status, 'bad-padding', name);
  }
});
