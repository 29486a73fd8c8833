// Edges of src/verifier/*: verifySignature with MD5 and unknown types, option checks, the bounded
// key cache, empty app_id/seller_id (legacy MAPI), and a missing sign_type with several accepted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { createNotifyVerifier, verifyNotify } from '../../src/index.js';
import { buildSignContent, parseNotifyBody, verifySignature } from '../../src/building-blocks.js';
import { resolveOptions } from '../../src/verifier/resolve-options.js';
import { buildRefundFields, encodeFormBody, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const PARTNER = '2088101122136241';
const alipay = generateTestKeyPair();
const content = Buffer.from('a=1&b=2', 'utf8');

test('verifySignature checks MD5 with the partner key, and needs that key', () => {
  const sign = createHash('md5').update(content).update('partner-key', 'utf8').digest('hex');
  assert.deepEqual(verifySignature(content, sign, 'MD5', { md5Key: 'partner-key' }), { fingerprint: 'md5' });
  assert.throws(() => verifySignature(content, sign, 'MD5', { md5Key: 'another-key' }), { code: 'ERR_SIGNATURE_INVALID' });
  assert.throws(() => verifySignature(content, sign, 'MD5', {}), { code: 'ERR_CONFIG', option: 'md5Key' });
  assert.throws(() => verifySignature(content, sign, 'MD5', { md5Key: '' }), { code: 'ERR_CONFIG', option: 'md5Key' });
});

test('verifySignature refuses a sign type it does not know instead of guessing a hash', () => {
  assert.throws(() => verifySignature(content, 'AAAA', 'ECDSA' as never, { alipayPublicKey: alipay.publicKeyBase64 }), { code: 'ERR_SIGN_TYPE_UNSUPPORTED' });
});

test('options that are not an object, and a clock that is not a function, are ERR_CONFIG', () => {
  assert.throws(() => createNotifyVerifier(null as never), { code: 'ERR_CONFIG', option: 'options' });
  assert.throws(() => verifyNotify('a=1', null as never), { code: 'ERR_CONFIG', option: 'options' });
  assert.throws(() => verifyNotify('a=1', 'key' as never), { code: 'ERR_CONFIG', option: 'options' });
  assert.throws(() => createNotifyVerifier({ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, now: new Date() as never }), { code: 'ERR_CONFIG', option: 'now' });
});

test('the key cache is bounded: past 64 key strings the oldest is imported again', () => {
  // The same key with different surrounding whitespace: 65 distinct strings, one RSA key.
  const variant = (i: number) => `${' '.repeat(i)}${alipay.publicKeyBase64}`;
  const first = resolveOptions({ alipayPublicKey: variant(0), appId: APP_ID }).keys[0]!;
  assert.equal(resolveOptions({ alipayPublicKey: variant(0), appId: APP_ID }).keys[0], first, 'a cache hit is the same imported key');
  for (let i = 1; i <= 64; i++) resolveOptions({ alipayPublicKey: variant(i), appId: APP_ID });
  const again = resolveOptions({ alipayPublicKey: variant(0), appId: APP_ID }).keys[0]!;
  assert.notEqual(again, first, 'evicted, so imported anew');
  assert.equal(again.fingerprint, first.fingerprint);
  assert.equal(resolveOptions({ alipayPublicKey: variant(64), appId: APP_ID }).keys[0], resolveOptions({ alipayPublicKey: variant(64), appId: APP_ID }).keys[0]);
});

test('an empty app_id is no app_id: accepted as legacy MAPI with a partner; an RSA-signed one needs a seller_id of the partner', () => {
  const fields = buildRefundFields('partial', { overrides: { app_id: '', seller_id: PARTNER } });
  const { body } = signNotification(fields, { privateKey: alipay.privateKey });
  const n = verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, partner: PARTNER });
  assert.equal(n.notifyId, fields['notify_id']);
  assert.throws(() => verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID }), { code: 'ERR_APP_ID_MISMATCH', received: undefined });
  // An empty seller_id is no seller_id, and with RSA (a key shared by every MAPI merchant) that is refused.
  const noSeller = signNotification(buildRefundFields('partial', { overrides: { app_id: '', seller_id: '' } }), { privateKey: alipay.privateKey }).body;
  assert.throws(() => verifyNotify(noSeller, { alipayPublicKey: alipay.publicKeyBase64, partner: PARTNER }), { code: 'ERR_SELLER_ID_MISMATCH', received: undefined });
});

test('without sign_type, a verifier that accepts several types does not guess one', () => {
  const { fields } = signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey });
  const { sign_type: _dropped, ...rest } = fields;
  const body = encodeFormBody(rest);
  const two = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, signTypes: ['RSA2', 'RSA'] } as const;
  assert.throws(() => verifyNotify(body, two), (err: Error & { code?: string; signType?: unknown }) => {
    assert.equal(err.code, 'ERR_SIGN_TYPE_UNSUPPORTED');
    assert.equal(err.signType, undefined);
    return true;
  });
  // With the one type pinned, the same body verifies (PROTOCOL §2.7): sign_type is not signed.
  assert.equal(verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID }).notifyId, fields['notify_id']);
  assert.equal(buildSignContent(parseNotifyBody(body)).includes(Buffer.from('sign_type')), false);
});
