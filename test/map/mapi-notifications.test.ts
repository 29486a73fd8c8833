// Legacy MAPI notifications (src/map/to-batch-refund-notification.ts): the real MD5 vectors
// (`batch_refund_notify` and `trade_status_sync`), `result_details` parsing, and the `partner`
// check that stands in for `app_id`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlipayNotifyError, NotifyRecipientError, verifyNotify, verifyRefundNotify } from '../../src/index.js';
import type { BatchRefundNotification, NotifyVerifierOptions } from '../../src/index.js';
import { buildBatchRefundFields } from '../../src/testing/build-message-fields.js';
import { generateTestKeyPair, signNotification } from '../../src/testing/index.js';
import { hasWireBody, verified, type Vector } from '../support/vectors.js';

function rejects(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof AlipayNotifyError && err.code === code);
}

const md5Vectors = verified.filter(
  (v): v is Vector & { md5_key: string; params: Record<string, string> } => v.sign_type === 'MD5',
);
const PARTNER = '2088000000000000';
const optionsFor = (v: Vector & { md5_key: string; params: Record<string, string> }): NotifyVerifierOptions => ({
  signTypes: ['MD5'],
  md5Key: v.md5_key,
  partner: v.params['seller_id'] ?? PARTNER,
});

test('the MD5 vectors are the two batch refunds and the two MAPI trade_status_sync', () => {
  assert.deepEqual(md5Vectors.map((v) => v.kind).sort(), [
    'mapi_batch_refund',
    'mapi_batch_refund',
    'trade_status_sync',
    'trade_status_sync',
  ]);
});

for (const v of md5Vectors) {
  test(`MD5 vector ${v.id} verifies${hasWireBody(v) ? ' from its raw body' : ''}`, () => {
    const n = verifyNotify(hasWireBody(v) ? v.raw_body : v.params, optionsFor(v));
    assert.equal(n.signType, 'MD5');
    assert.equal(n.appId, undefined);
    assert.equal(n.kind, v.kind === 'mapi_batch_refund' ? 'batch_refund' : 'trade');
  });

  test(`MD5 vector ${v.id}: a one-field change of any field, or another key, is rejected`, () => {
    const options = optionsFor(v);
    for (const name of Object.keys(v.params)) {
      if (name === 'sign' || name === 'sign_type') continue;
      rejects(() => verifyNotify({ ...v.params, [name]: `${v.params[name]}0` }, options), 'ERR_SIGNATURE_INVALID');
    }
    rejects(
      () =>
        verifyNotify({ ...v.params, sign: v.params['sign']!.replace(/^./, (c) => (c === '0' ? '1' : '0')) }, options),
      'ERR_SIGNATURE_INVALID',
    );
    rejects(() => verifyNotify(v.params, { ...options, md5Key: `${v.md5_key.slice(1)}x` }), 'ERR_SIGNATURE_INVALID');
    // MD5 is accepted only when listed.
    rejects(
      () => verifyNotify(v.params, { alipayPublicKey: generateTestKeyPair(1024).publicKey, partner: options.partner! }),
      'ERR_SIGN_TYPE_UNSUPPORTED',
    );
  });
}

test('real batch refund vectors become batch_refund with batchNo, successNum and details', () => {
  const v = md5Vectors.find((x) => x.id === 'jfantasy-batchrefund-20160527')!;
  const n = verifyRefundNotify(v.raw_body!, optionsFor(v)) as BatchRefundNotification;
  assert.equal(n.kind, 'batch_refund');
  assert.equal(n.batchNo, '20160527RP201605260001101');
  assert.equal(n.successNum, 1);
  assert.equal(n.notifyTime.toISOString(), '2016-05-27T01:26:32.000Z');
  assert.deepEqual(n.details, [
    {
      tradeNo: '2016052621001004180237340740',
      amount: { fen: 10, yuan: '0.10' },
      result: 'SUCCESS',
      raw: '2016052621001004180237340740^0.10^SUCCESS',
    },
  ]);
});

// ---- result_details grammar (trade_no^amount^result[$account^account_id^fee^result], entries joined by #), with signed fixtures ----

const MD5_KEY = 'testpartnerkey0123456789abcdefgh';
const mapiOptions: NotifyVerifierOptions = { signTypes: ['MD5'], md5Key: MD5_KEY, partner: PARTNER };
const batch = (resultDetails: string): BatchRefundNotification => {
  const { body } = signNotification(buildBatchRefundFields({ resultDetails }), { signType: 'MD5', md5Key: MD5_KEY });
  const n = verifyRefundNotify(body, mapiOptions);
  assert.equal(n.kind, 'batch_refund');
  return n;
};

test('result_details: one trade', () => {
  const n = batch('2016031721001004670245932381^0.20^SUCCESS');
  assert.equal(n.successNum, 1);
  assert.deepEqual(
    n.details.map((d) => [d.tradeNo, d.amount.fen, d.result, d.fee]),
    [['2016031721001004670245932381', 20, 'SUCCESS', undefined]],
  );
});

test('result_details: several trades separated by #, one failed with an error code', () => {
  const n = batch(
    '2016031721001004670245932381^0.20^SUCCESS#2016031721001004670247063531^0.24^SUCCESS#2016031721001004670247063532^1^TRADE_HAS_CLOSED',
  );
  assert.equal(n.successNum, 2);
  assert.deepEqual(
    n.details.map((d) => [d.tradeNo, d.amount.yuan, d.amount.fen, d.result]),
    [
      ['2016031721001004670245932381', '0.20', 20, 'SUCCESS'],
      ['2016031721001004670247063531', '0.24', 24, 'SUCCESS'],
      ['2016031721001004670247063532', '1', 100, 'TRADE_HAS_CLOSED'],
    ],
  );
});

test('result_details: the fee part after $ (doc example, amount without decimals)', () => {
  const raw = '2010031906272929^80^SUCCESS$jax_chuanhang@alipay.com^2088101003147483^0.01^SUCCESS';
  const [d] = batch(raw).details;
  assert.equal(d?.tradeNo, '2010031906272929');
  assert.deepEqual(d?.amount, { fen: 8000, yuan: '80' });
  assert.deepEqual(d?.fee, {
    account: 'jax_chuanhang@alipay.com',
    accountId: '2088101003147483',
    amount: { fen: 1, yuan: '0.01' },
    result: 'SUCCESS',
  });
  assert.equal(d?.raw, raw);
});

test('result_details: a fee part on one trade of several', () => {
  const n = batch(
    '2013091142096412^0.01^SUCCESS$bycoa@10106266.com^2088101964737404^0.00^SUCCESS#2013091142096413^2.50^SUCCESS',
  );
  assert.equal(n.details[0]?.fee?.amount.fen, 0);
  assert.equal(n.details[1]?.fee, undefined);
  assert.equal(n.details[1]?.amount.fen, 250);
});

test('result_details: absent means no details; malformed entries are ERR_FIELD_INVALID', () => {
  const { body } = signNotification(
    buildBatchRefundFields({ overrides: { result_details: undefined, success_num: '0' } }),
    { signType: 'MD5', md5Key: MD5_KEY },
  );
  const n = verifyRefundNotify(body, mapiOptions) as BatchRefundNotification;
  assert.deepEqual([n.successNum, n.details], [0, []]);
  for (const bad of [
    '2016^0.20',
    '^0.20^SUCCESS',
    '2016^0.2x^SUCCESS',
    '2016^0.20^SUCCESS$a^b^0.01',
    '2016^0.20^SUCCESS$a^b^0.01^SUCCESS$c^d^0.01^SUCCESS',
  ]) {
    const signed = signNotification(buildBatchRefundFields({ resultDetails: bad }), {
      signType: 'MD5',
      md5Key: MD5_KEY,
    });
    rejects(() => verifyNotify(signed.body, mapiOptions), 'ERR_FIELD_INVALID');
  }
  const signed = signNotification(buildBatchRefundFields({ overrides: { success_num: 'two' } }), {
    signType: 'MD5',
    md5Key: MD5_KEY,
  });
  rejects(() => verifyNotify(signed.body, mapiOptions), 'ERR_FIELD_INVALID');
});

test('batch_refund_notify signed RSA (SHA1) with the MAPI key, never with sign_type kept', () => {
  const mapiKey = generateTestKeyPair(1024); // plays the one fixed RSA key of the MAPI gateway
  const options: NotifyVerifierOptions = {
    signTypes: ['RSA'],
    alipayPublicKey: mapiKey.publicKeyBase64,
    partner: PARTNER,
    acceptRsaBatchRefund: true,
  };
  const fields = buildBatchRefundFields({
    resultDetails: '2016031721001004670245932381^0.20^SUCCESS#2016031721001004670247063531^0.24^SUCCESS',
  });
  const n = verifyRefundNotify(
    signNotification(fields, { signType: 'RSA', privateKey: mapiKey.privateKey }).body,
    options,
  );
  assert.equal(n.kind === 'batch_refund' && n.details.length, 2);
  // The MAPI RSA key is shared by every merchant and the batch names no seller: refused without the opt-in.
  assert.throws(
    () =>
      verifyRefundNotify(signNotification(fields, { signType: 'RSA', privateKey: mapiKey.privateKey }).body, {
        ...options,
        acceptRsaBatchRefund: false,
      }),
    (err: unknown) =>
      err instanceof NotifyRecipientError &&
      err.code === 'ERR_SELLER_ID_MISMATCH' &&
      /confirmNotifyId/.test(err.message),
  );
  const kept = signNotification(fields, { signType: 'RSA', privateKey: mapiKey.privateKey, keepSignType: true });
  rejects(() => verifyNotify(kept.body, options), 'ERR_SIGNATURE_INVALID');
});

// ---- partner instead of app_id ----

test('MAPI trade_status_sync without app_id is checked against partner (its seller_id)', () => {
  const v = md5Vectors.find((x) => x.id === 'eom-direct-md5-20161018')!;
  assert.equal(v.params['app_id'], undefined);
  assert.equal(
    verifyNotify(v.params, { signTypes: ['MD5'], md5Key: v.md5_key, partner: '2088421378707458' }).kind,
    'trade',
  );
  assert.equal(
    verifyNotify(v.params, { signTypes: ['MD5'], md5Key: v.md5_key, partner: ['2088000000000001', '2088421378707458'] })
      .kind,
    'trade',
  );
  assert.throws(
    () => verifyNotify(v.params, { signTypes: ['MD5'], md5Key: v.md5_key, partner: '2088000000000001' }),
    (err: unknown) =>
      err instanceof NotifyRecipientError &&
      err.code === 'ERR_SELLER_ID_MISMATCH' &&
      err.received === '2088421378707458',
  );
  // Configured for an OpenAPI app only: a notification without app_id is refused.
  assert.throws(
    () => verifyNotify(v.params, { signTypes: ['MD5'], md5Key: v.md5_key, appId: '2021000000000000' }),
    (err: unknown) =>
      err instanceof NotifyRecipientError && err.code === 'ERR_APP_ID_MISMATCH' && err.field === 'app_id',
  );
});

test('MAPI trade notification typed: total_fee is the order amount', () => {
  const v = md5Vectors.find((x) => x.id === 'eom-direct-md5-20161018')!;
  const n = verifyNotify(v.params, { signTypes: ['MD5'], md5Key: v.md5_key, partner: '2088421378707458' });
  assert.equal(n.kind === 'trade' && n.totalAmount?.fen, 1);
  assert.equal(n.kind === 'trade' && n.sellerId, '2088421378707458');
});

test('a signed MAPI notification with a seller_id that is not ours is refused even with a valid signature', () => {
  const { body } = signNotification(buildBatchRefundFields({ overrides: { seller_id: '2088999999999999' } }), {
    signType: 'MD5',
    md5Key: MD5_KEY,
  });
  rejects(() => verifyNotify(body, mapiOptions), 'ERR_SELLER_ID_MISMATCH');
});
