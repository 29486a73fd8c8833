// The raw RSA opening behind diagnoseNotify (s^e mod n in BigInt, src/crypto/open-rsa-signature.ts) against node:crypto's
// own (publicDecrypt with RSA_NO_PADDING), on every real signature of the vectors, on tampered
// copies, and on keys with other exponents and sizes; then diagnoseNotify in a process whose
// node:crypto has no raw RSA, as on Deno: a tampered body must still be "content changed", not
// "wrong key".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, createHash, generateKeyPairSync, publicDecrypt, sign, type KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseNotifyBody } from '../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { importAlipayCertificate } from '../../src/crypto/certificates.js';
import { importAlipayPublicKey, type ImportedPublicKey } from '../../src/crypto/import-public-key.js';
import { openRsaSignature, rsaPublicOperation } from '../../src/crypto/open-rsa-signature.js';
import { readSign } from '../../src/diagnose/inspect-signature.js';
import { encodeFormBody } from '../../src/testing/encode-form-body.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';
import { hasWireBody, unverified, verified, type Vector } from '../support/vectors.js';

/** node:crypto's raw opening, or null where it refuses the number (not below the modulus). */
function nodeOpening(signature: Buffer, key: KeyObject): Buffer | null {
  try {
    return publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return null;
  }
}

function assertSameOpening(signature: Buffer, key: ImportedPublicKey, what: string): void {
  const ours = rsaPublicOperation(signature, key.key);
  const theirs = nodeOpening(signature, key.key);
  assert.equal(ours?.toString('hex') ?? null, theirs?.toString('hex') ?? null, what);
}

const rsaVectors = [...verified, ...unverified].filter(
  (v) => (v.public_key !== undefined || v.cert !== undefined) && v.sign_type !== 'MD5' && v.params !== undefined,
);

function keyOf(v: Vector): ImportedPublicKey {
  return v.cert !== undefined ? importAlipayCertificate(v.cert) : importAlipayPublicKey(v.public_key!);
}

test('there are real RSA signatures to compare on', () => {
  assert.ok(rsaVectors.length >= 30, String(rsaVectors.length));
});

test('every real signature of the vectors opens to the same bytes as node:crypto, and tampered copies too', () => {
  let compared = 0;
  for (const v of rsaVectors) {
    const key = keyOf(v);
    const { bytes } = readSign(parseNotifyBody(hasWireBody(v) ? v.raw_body : v.params!).fields['sign']);
    if (bytes.length !== key.bits >> 3) continue; // a truncated signature: node:crypto refuses it too
    assertSameOpening(bytes, key, v.id);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 0x01;
    assertSameOpening(flipped, key, `${v.id}, last bit flipped`);
    const shifted = Buffer.concat([bytes.subarray(1), bytes.subarray(0, 1)]);
    assertSameOpening(shifted, key, `${v.id}, bytes rotated`);
    assertSameOpening(Buffer.alloc(bytes.length, 0xff), key, `${v.id}, all ones (beyond the modulus)`);
    assertSameOpening(Buffer.alloc(bytes.length), key, `${v.id}, zero`);
    compared++;
  }
  assert.ok(compared >= 25, String(compared));
});

test('the vectors that verify open to the SHA of the string Alipay signed', () => {
  for (const v of verified.filter(
    (x) =>
      x.signed_string_sha256 !== undefined &&
      x.sign_type === 'RSA2' &&
      (x.public_key !== undefined || x.cert !== undefined),
  )) {
    const { bytes } = readSign(parseNotifyBody(hasWireBody(v) ? v.raw_body : v.params!).fields['sign']);
    const opened = openRsaSignature(bytes, keyOf(v));
    assert.equal(opened.status, 'opened', v.id);
    assert.equal(opened.digest!.toString('hex'), v.signed_string_sha256, v.id);
  }
});

test('other exponents and sizes: e = 3 and a 3072-bit key agree with node:crypto too', () => {
  const content = Buffer.from('notify_id=1&refund_fee=1.00');
  for (const options of [
    { modulusLength: 1024, publicExponent: 3 },
    { modulusLength: 3072 },
    { modulusLength: 2048, publicExponent: 0x10001 },
  ]) {
    const pair = generateKeyPairSync('rsa', options);
    const key = importAlipayPublicKey(pair.publicKey);
    const signature = sign('sha256', content, pair.privateKey);
    assertSameOpening(signature, key, JSON.stringify(options));
    const opened = openRsaSignature(signature, key);
    assert.equal(opened.digest!.toString('hex'), createHash('sha256').update(content).digest('hex'));
  }
});

// ---- A runtime without raw RSA in node:crypto ----

const preload = fileURLToPath(new URL('./support/without-raw-rsa.cjs', import.meta.url));
const child = fileURLToPath(new URL('./support/diagnose-child.ts', import.meta.url));
const alipay = generateTestKeyPair();

interface ChildReport {
  cause: string;
  keys: { status: string; hash: string | null; recoveredDigest: string | null }[];
}

function diagnoseWithoutRawRsa(mode: 'throws' | 'absent', body: Buffer): ChildReport {
  const input = JSON.stringify({
    body: body.toString('base64'),
    options: { alipayPublicKey: alipay.publicKeyBase64, appId: '2021000000000000' },
  });
  const result = spawnSync(process.execPath, ['--require', preload, '--import', 'tsx', child], {
    input,
    encoding: 'utf8',
    env: { ...process.env, ALIPAY_NOTIFY_TEST_RAW_RSA: mode },
    timeout: 120_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as ChildReport;
}

for (const mode of ['throws', 'absent'] as const) {
  test(`without raw RSA in node:crypto (publicDecrypt ${mode === 'throws' ? 'refuses RSA_NO_PADDING' : 'missing'}): a tampered body is still "content changed"`, () => {
    const { fields } = signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey });
    const tampered = diagnoseWithoutRawRsa(mode, encodeFormBody({ ...fields, refund_fee: '99.00' }));
    assert.equal(tampered.cause, 'content-changed');
    assert.deepEqual(
      tampered.keys.map((k) => [k.status, k.hash]),
      [['opened', 'sha256']],
    );
    // The digest of the string Alipay signed, before the change.
    assert.equal(
      tampered.keys[0]!.recoveredDigest,
      createHash('sha256')
        .update(buildSignContent(parseNotifyBody(encodeFormBody(fields))))
        .digest('hex'),
    );
    const other = generateTestKeyPair();
    const wrong = diagnoseWithoutRawRsa(
      mode,
      signNotification(buildRefundFields('partial'), { privateKey: other.privateKey }).body,
    );
    assert.equal(wrong.cause, 'wrong-key');
  });
}
