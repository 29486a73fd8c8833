// resolveOptions (src/verifier/resolve-options.ts): options that are not an object, a clock that is
// not a function, and the bounded cache of imported keys. (Each option's own checks:
// test/verifier/verify-notify.test.ts, "bad configuration is ERR_CONFIG".)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNotifyVerifier, verifyNotify } from '../../src/index.js';
import { resolveOptions } from '../../src/verifier/resolve-options.js';
import { generateTestKeyPair } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();

test('options that are not an object, and a clock that is not a function, are ERR_CONFIG', () => {
  assert.throws(() => createNotifyVerifier(null as never), { code: 'ERR_CONFIG', option: 'options' });
  assert.throws(() => verifyNotify('a=1', null as never), { code: 'ERR_CONFIG', option: 'options' });
  assert.throws(() => verifyNotify('a=1', 'key' as never), { code: 'ERR_CONFIG', option: 'options' });
  assert.throws(
    () => createNotifyVerifier({ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, now: new Date() as never }),
    { code: 'ERR_CONFIG', option: 'now' },
  );
});

test('the key cache is bounded: past 64 key strings the oldest is imported again', () => {
  // The same key with different surrounding whitespace: 65 distinct strings, one RSA key.
  const variant = (i: number) => `${' '.repeat(i)}${alipay.publicKeyBase64}`;
  const first = resolveOptions({ alipayPublicKey: variant(0), appId: APP_ID }).keys[0]!;
  assert.equal(
    resolveOptions({ alipayPublicKey: variant(0), appId: APP_ID }).keys[0],
    first,
    'a cache hit is the same imported key',
  );
  for (let i = 1; i <= 64; i++) resolveOptions({ alipayPublicKey: variant(i), appId: APP_ID });
  const again = resolveOptions({ alipayPublicKey: variant(0), appId: APP_ID }).keys[0]!;
  assert.notEqual(again, first, 'evicted, so imported anew');
  assert.equal(again.fingerprint, first.fingerprint);
  assert.equal(
    resolveOptions({ alipayPublicKey: variant(64), appId: APP_ID }).keys[0],
    resolveOptions({ alipayPublicKey: variant(64), appId: APP_ID }).keys[0],
  );
});
