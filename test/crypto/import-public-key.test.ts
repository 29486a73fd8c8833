// Edges of src/crypto.ts that the vector and verifier tests do not reach: keys that are not an
// Alipay RSA public key, unreadable certificates, the test signer's preconditions, and signatures
// whose type-1 padding is broken in each of the ways RFC 8017 §9.2 rules out.
import assert from 'node:assert/strict';
import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { test } from 'node:test';
import { certificatePath } from '../../src/crypto/certificate-path.js';
import { parseCertificates } from '../../src/crypto/certificates.js';
import { importAlipayPublicKey } from '../../src/crypto/import-public-key.js';
import { openRsaSignature } from '../../src/crypto/open-rsa-signature.js';
import { signContent } from '../../src/crypto/sign.js';
import { verifyMd5Signature } from '../../src/crypto/verify-md5.js';
import { verifyRsaSignature } from '../../src/crypto/verify-rsa.js';
import { generateTestCertificates, generateTestKeyPair } from '../../src/testing/index.js';

const pair = generateTestKeyPair();
const key = importAlipayPublicKey(pair.publicKeyBase64);
const content = Buffer.from('a=1&b=2', 'utf8');

test('a private KeyObject, a non-base64 string, a number and an EC key are all ERR_CONFIG for the option', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const cases: [unknown, RegExp][] = [
    [createPrivateKey(pair.privateKey), /got a private or secret key/],
    ['this is not a key!', /not a readable RSA public key/],
    [12345, /not a readable RSA public key/],
    [ec.publicKey, /must be an RSA key/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => importAlipayPublicKey(input as never, 'alipayPublicKey'), (err: Error & { code?: string; option?: string }) => {
      assert.equal(err.code, 'ERR_CONFIG');
      assert.equal(err.option, 'alipayPublicKey');
      assert.match(err.message, message);
      return true;
    });
  }
});

test('a public KeyObject and PKCS#1 DER import to the same key as the console base64', () => {
  const object = importAlipayPublicKey(createPublicKey(pair.publicKey));
  const pkcs1 = importAlipayPublicKey(createPublicKey(pair.publicKey).export({ format: 'der', type: 'pkcs1' }));
  assert.equal(object.fingerprint, key.fingerprint);
  assert.equal(pkcs1.fingerprint, key.fingerprint);
});

test('an MD5 sign in uppercase hex does not verify: a case change is a change to the body', () => {
  const sign = createHash('md5').update(content).update('partner-key', 'utf8').digest('hex');
  assert.equal(verifyMd5Signature(content, 'partner-key', sign), true);
  assert.equal(verifyMd5Signature(content, 'partner-key', sign.toUpperCase()), false);
});

test('no PEM block, and a PEM block that is not a certificate, are ERR_CONFIG for the option', () => {
  assert.throws(() => parseCertificates('not a certificate', 'alipayPublicCert'), { code: 'ERR_CONFIG', option: 'alipayPublicCert', message: /no PEM certificate found/ });
  const garbage = `-----BEGIN CERTIFICATE-----\n${Buffer.from('garbage').toString('base64')}\n-----END CERTIFICATE-----`;
  assert.throws(() => parseCertificates(garbage, 'alipayRootCert'), (err: Error & { code?: string; option?: string; cause?: unknown }) => {
    assert.equal(err.code, 'ERR_CONFIG');
    assert.equal(err.option, 'alipayRootCert');
    assert.match(err.message, /unreadable certificate/);
    assert.ok(err.cause instanceof Error);
    return true;
  });
});

test('a root is its own path; a certificate from another hierarchy has none', () => {
  const certs = generateTestCertificates({ bits: 1024 });
  const [root] = parseCertificates(certs.alipayRootCert, 'alipayRootCert');
  const [leaf] = parseCertificates(certs.alipayPublicCert, 'alipayPublicCert');
  assert.deepEqual(certificatePath(root!, [], [root!]), [root]);
  assert.deepEqual(certificatePath(leaf!, [], [root!]), [leaf, root]);
  const [stranger] = parseCertificates(generateTestCertificates({ bits: 1024 }).alipayRootCert, 'alipayRootCert');
  assert.equal(certificatePath(leaf!, [], [stranger!]), null);
});

test('the test signer needs the key its sign type uses, and takes a KeyObject', () => {
  assert.throws(() => signContent('MD5', content, {}), { name: 'TypeError', message: /md5Key is required/ });
  assert.throws(() => signContent('RSA2', content, {}), { name: 'TypeError', message: /privateKey is required/ });
  const signature = Buffer.from(signContent('RSA2', content, { privateKey: createPrivateKey(pair.privateKey) }), 'base64');
  assert.equal(verifyRsaSignature('sha256', content, signature, [key]), 0);
  assert.equal(signContent('MD5', content, { md5Key: 'k' }), createHash('md5').update(content).update('k').digest('hex'));
});

// The raw RSA private operation on a chosen block gives a "signature" that opens to exactly that
// block, so each malformed padding can be put in front of openRsaSignature.
function signatureOpeningTo(block: Buffer): Buffer {
  return privateDecrypt({ key: pair.privateKey, padding: constants.RSA_NO_PADDING }, block);
}
const size = key.bits >> 3;
const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), createHash('sha256').update(content).digest()]);
function block(parts: Buffer[]): Buffer {
  const b = Buffer.concat(parts);
  assert.equal(b.length, size);
  return b;
}

test('type-1 padding opens; too few 0xff, no 0x00 separator, or a type-2 block are bad padding', () => {
  const ffs = (n: number) => Buffer.alloc(n, 0xff);
  const good = block([Buffer.from([0, 1]), ffs(size - 3 - digestInfo.length), Buffer.from([0]), digestInfo]);
  const opened = openRsaSignature(signatureOpeningTo(good), key);
  assert.equal(opened.status, 'opened');
  assert.equal(opened.hash, 'sha256');

  const fewFfs = block([Buffer.from([0, 1]), ffs(7), Buffer.from([0]), Buffer.alloc(size - 10 - digestInfo.length, 0x11), digestInfo]);
  const noSeparator = block([Buffer.from([0, 1]), ffs(size - 2)]);
  const wrongSeparator = block([Buffer.from([0, 1]), ffs(size - 3 - digestInfo.length), Buffer.from([2]), digestInfo]);
  const typeTwo = block([Buffer.from([0, 2]), ffs(size - 3 - digestInfo.length), Buffer.from([0]), digestInfo]);
  for (const [name, b] of Object.entries({ fewFfs, noSeparator, wrongSeparator, typeTwo })) {
    assert.equal(openRsaSignature(signatureOpeningTo(b), key).status, 'bad-padding', name);
  }
});
