import assert from 'node:assert/strict';
import { createPublicKey, sign as cryptoSign } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  AlipayNotifyError,
  createNotifyVerifier,
  NotARefundError,
  NotifyConfigError,
  NotifyRecipientError,
  verifyNotify,
  verifyRefundNotify,
  type NotifyVerifierOptions,
} from '../../src/index.js';
import { buildSignContent, parseNotifyBody } from '../../src/building-blocks.js';
import {
  buildPaymentFields,
  buildRefundFields,
  encodeFormBody,
  generateTestKeyPair,
  signNotification,
} from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const other = generateTestKeyPair();
const options: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID };
const sign = (fields: Record<string, string>, o: Parameters<typeof signNotification>[1] = {}) =>
  signNotification(fields, { privateKey: alipay.privateKey, ...o }).body;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AlipayNotifyError, `untyped error: ${String(err)}`);
    return err.code;
  }
  return 'no error';
}

describe('typed refund notifications', () => {
  test('a partial refund: TRADE_SUCCESS with refund fields', () => {
    const fields = buildRefundFields('partial', {
      overrides: { refund_fee: '30.05', gmt_refund: '2024-05-01 12:00:00.123' },
    });
    const n = verifyRefundNotify(sign(fields), options);
    assert.equal(n.kind, 'trade_refund');
    if (n.kind !== 'trade_refund') return;
    assert.equal(n.refundType, 'partial');
    assert.deepEqual(n.refundFee, { fen: 3005, yuan: '30.05' });
    assert.deepEqual(n.totalAmount, { fen: 10000, yuan: '100.00' });
    assert.equal(n.gmtRefund?.toISOString(), '2024-05-01T04:00:00.123Z');
    assert.equal(n.outBizNo, fields['out_biz_no']);
    assert.equal(n.outTradeNo, fields['out_trade_no']);
    assert.equal(n.tradeNo, fields['trade_no']);
    assert.equal(n.notifyId, fields['notify_id']);
    assert.equal(n.appId, APP_ID);
    assert.equal(n.tradeStatus, 'TRADE_SUCCESS');
    assert.equal(n.signType, 'RSA2');
    assert.equal(n.fundBillList[0]?.fundChannel, 'ALIPAYACCOUNT');
    assert.equal(n.fields['fund_bill_list'], fields['fund_bill_list']);
    assert.equal(n.subject, fields['subject']);
  });

  test('a full refund: TRADE_CLOSED', () => {
    const n = verifyRefundNotify(sign(buildRefundFields('full')), options);
    assert.ok(n.kind === 'trade_refund' && n.refundType === 'full' && n.tradeStatus === 'TRADE_CLOSED');
    assert.ok(n.gmtClose instanceof Date);
  });

  test('a full refund in GBK verifies and decodes', () => {
    const n = verifyRefundNotify(
      sign(buildRefundFields('full', { charset: 'GBK', overrides: { subject: '退款测试 + 100%' } })),
      options,
    );
    assert.ok(n.kind === 'trade_refund');
    assert.equal(n.charset, 'gbk');
    assert.equal(n.subject, '退款测试 + 100%');
  });

  test('a payment with refund_fee=0.00 is a trade, not a refund', () => {
    const n = verifyNotify(sign(buildPaymentFields({ overrides: { refund_fee: '0.00' } })), options);
    assert.equal(n.kind, 'trade');
  });

  test('a refund with gmt_refund but no refund_fee is still a refund', () => {
    const n = verifyNotify(sign(buildRefundFields('partial', { overrides: { refund_fee: undefined } })), options);
    assert.equal(n.kind, 'trade_refund');
  });

  test('verifyRefundNotify rejects a payment with ERR_NOT_A_REFUND and hands the payment over', () => {
    const body = sign(buildPaymentFields());
    assert.throws(
      () => verifyRefundNotify(body, options),
      (err: unknown) => {
        assert.ok(err instanceof NotARefundError);
        assert.equal(err.code, 'ERR_NOT_A_REFUND');
        assert.equal((err.notification as { kind: string }).kind, 'trade');
        return true;
      },
    );
  });
});

describe('rejections carry stable codes', () => {
  test('forged content, wrong key, missing sign, wrong sign type', () => {
    const body = sign(buildRefundFields('partial'));
    const forged = Buffer.from(body.toString('latin1').replace('refund_fee=30.00', 'refund_fee=90.00'), 'latin1');
    assert.equal(
      codeOf(() => verifyNotify(forged, options)),
      'ERR_SIGNATURE_INVALID',
    );
    assert.equal(
      codeOf(() => verifyNotify(body, { ...options, alipayPublicKey: other.publicKey })),
      'ERR_SIGNATURE_INVALID',
    );
    const noSign = Buffer.from(body.toString('latin1').replace(/&sign=[^&]*/, ''), 'latin1');
    assert.equal(
      codeOf(() => verifyNotify(noSign, options)),
      'ERR_SIGNATURE_MISSING',
    );
    assert.equal(
      codeOf(() => verifyNotify(sign(buildRefundFields('partial'), { signType: 'RSA' }), options)),
      'ERR_SIGN_TYPE_UNSUPPORTED',
    );
  });

  test('an alipay_cert_sn added to a genuine notification is rejected outside certificate mode (fuzzer finding)', () => {
    const body = Buffer.concat([sign(buildRefundFields('partial')), Buffer.from('&alipay_cert_sn=attacker%26chosen')]);
    assert.equal(
      codeOf(() => verifyNotify(body, options)),
      'ERR_SIGNATURE_INVALID',
    );
  });

  test('RSA (SHA-1) verifies only when listed', () => {
    const body = sign(buildRefundFields('partial'), { signType: 'RSA' });
    assert.equal(verifyNotify(body, { ...options, signTypes: ['RSA2', 'RSA'] }).signType, 'RSA');
  });

  test('a sign_type lie does not help: RSA2 declared over a SHA-1 signature fails', () => {
    const fields = signNotification(buildRefundFields('partial'), {
      privateKey: alipay.privateKey,
      signType: 'RSA',
    }).fields;
    assert.equal(
      codeOf(() => verifyNotify({ ...fields, sign_type: 'RSA2' }, options)),
      'ERR_SIGNATURE_INVALID',
    );
  });

  test('genuine but for another app: ERR_APP_ID_MISMATCH with the app_id received', () => {
    const body = sign(buildRefundFields('partial', { appId: '2021999999999999' }));
    assert.throws(
      () => verifyNotify(body, options),
      (err: unknown) => {
        assert.ok(err instanceof NotifyRecipientError);
        assert.equal(err.code, 'ERR_APP_ID_MISMATCH');
        assert.equal(err.received, '2021999999999999');
        return true;
      },
    );
    assert.equal(verifyNotify(body, { ...options, appId: [APP_ID, '2021999999999999'] }).appId, '2021999999999999');
  });

  test('sellerId, when configured, must match', () => {
    const body = sign(buildRefundFields('partial'));
    assert.equal(
      codeOf(() => verifyNotify(body, { ...options, sellerId: '2088111111111111' })),
      'ERR_SELLER_ID_MISMATCH',
    );
    assert.equal(verifyNotify(body, { ...options, sellerId: '2088000000000000' }).kind, 'trade_refund');
  });

  test('a notification without app_id needs the partner option', () => {
    const body = sign(buildRefundFields('partial', { overrides: { app_id: undefined, auth_app_id: undefined } }));
    assert.equal(
      codeOf(() => verifyNotify(body, options)),
      'ERR_APP_ID_MISMATCH',
    );
    assert.equal(verifyNotify(body, { ...options, partner: '2088000000000000' }).kind, 'trade_refund');
    assert.equal(
      codeOf(() => verifyNotify(body, { ...options, partner: '2088999999999999' })),
      'ERR_SELLER_ID_MISMATCH',
    );
  });

  test('a verified notification with a malformed amount or time is ERR_FIELD_INVALID', () => {
    assert.equal(
      codeOf(() => verifyNotify(sign(buildRefundFields('partial', { overrides: { refund_fee: '30,00' } })), options)),
      'ERR_FIELD_INVALID',
    );
    assert.equal(
      codeOf(() =>
        verifyNotify(sign(buildRefundFields('partial', { overrides: { gmt_refund: 'yesterday' } })), options),
      ),
      'ERR_FIELD_INVALID',
    );
    assert.equal(
      codeOf(() => verifyNotify(sign(buildRefundFields('partial', { overrides: { trade_no: undefined } })), options)),
      'ERR_FIELD_INVALID',
    );
  });

  test('empty values: skipped first (the documented rule), kept as a fallback (as the PHP and Node SDKs sign)', () => {
    const fields = { ...buildRefundFields('partial', { overrides: { body: '' } }), sign_type: 'RSA2' };
    // Signed the Java way (empty skipped) …
    assert.equal(verifyNotify(sign(fields), options).kind, 'trade_refund');
    // … and the PHP/Node way (empty kept as `body=`).
    const kept = buildSignContent(parseNotifyBody(encodeFormBody(fields)), { keepEmpty: true });
    assert.ok(kept.toString().includes('&body=&'));
    const body = encodeFormBody({ ...fields, sign: cryptoSign('sha256', kept, alipay.privateKey).toString('base64') });
    assert.equal(verifyNotify(body, options).kind, 'trade_refund');
  });
});

describe('keys and options', () => {
  const body = sign(buildRefundFields('partial'));
  const der = createPublicKey(alipay.publicKey).export({ format: 'der', type: 'spki' });
  const pkcs1 = createPublicKey(alipay.publicKey).export({ format: 'pem', type: 'pkcs1' }).toString();
  const forms: [string, NotifyVerifierOptions['alipayPublicKey']][] = [
    ['bare base64', alipay.publicKeyBase64],
    ['bare base64 with line breaks and spaces', `  ${alipay.publicKeyBase64.replace(/(.{64})/g, '$1\n')}  `],
    ['PEM SPKI', alipay.publicKey],
    ['PEM PKCS#1', pkcs1],
    [
      'bare base64 PKCS#1',
      createPublicKey(alipay.publicKey).export({ format: 'der', type: 'pkcs1' }).toString('base64'),
    ],
    ['DER', der],
    ['KeyObject', createPublicKey(alipay.publicKey)],
    ['a rotation list with the right key second', [other.publicKeyBase64, alipay.publicKeyBase64]],
  ];
  for (const [label, key] of forms) {
    test(`accepts the Alipay public key as ${label}`, () => {
      assert.equal(verifyNotify(body, { ...options, alipayPublicKey: key }).kind, 'trade_refund');
    });
  }

  test('bad configuration is ERR_CONFIG at creation, naming the option', () => {
    const bad: [NotifyVerifierOptions, string][] = [
      [{ appId: APP_ID }, 'alipayPublicKey'],
      [{ alipayPublicKey: 'not a key', appId: APP_ID }, 'alipayPublicKey'],
      [{ alipayPublicKey: 'QUJD', appId: APP_ID }, 'alipayPublicKey'],
      [{ alipayPublicKey: alipay.privateKey, appId: APP_ID }, 'alipayPublicKey'],
      [{ alipayPublicKey: alipay.publicKeyBase64 }, 'appId'],
      [{ alipayPublicKey: alipay.publicKeyBase64, appId: '' }, 'appId'],
      [{ alipayPublicKey: alipay.publicKeyBase64, appId: ' 2021 ' }, 'appId'],
      [{ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, signTypes: [] }, 'signTypes'],
      [{ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, signTypes: ['HMAC' as never] }, 'signTypes'],
      [{ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, signTypes: ['MD5'] }, 'md5Key'],
      [{ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID, maxBodyBytes: -1 }, 'maxBodyBytes'],
      [{ alipayPublicKey: generateTestKeyPair(512).publicKey, appId: APP_ID }, 'alipayPublicKey'],
    ];
    for (const [o, option] of bad) {
      assert.throws(
        () => createNotifyVerifier(o),
        (e: unknown) => e instanceof NotifyConfigError && e.code === 'ERR_CONFIG' && e.option === option,
        option,
      );
    }
  });

  test('the error message never contains key material', () => {
    // A private key given as the public one: refused, and the message quotes none of it.
    const base64 = alipay.privateKey.replace(/-----[A-Z ]+-----|\s/g, '');
    assert.throws(
      () => createNotifyVerifier({ alipayPublicKey: alipay.privateKey, appId: APP_ID }),
      (err: unknown) => {
        assert.ok(err instanceof NotifyConfigError, String(err));
        assert.ok(!err.message.includes('MII'), err.message);
        assert.ok(!err.message.includes(base64.slice(0, 16)) && !err.message.includes(base64.slice(-16)), err.message);
        return true;
      },
    );
  });

  test('a body over maxBodyBytes is ERR_BODY_TOO_LARGE', () => {
    assert.equal(
      codeOf(() => verifyNotify(body, { ...options, maxBodyBytes: 100 })),
      'ERR_BODY_TOO_LARGE',
    );
  });

  test('createNotifyVerifier and the one-call functions agree', () => {
    const v = createNotifyVerifier(options);
    assert.deepEqual(v.verifyRefund(body), verifyRefundNotify(body, options));
    assert.deepEqual(v.verify(body), verifyNotify(body, options));
  });
});

describe('async verification (RSA on the libuv thread pool)', () => {
  const v = createNotifyVerifier(options);
  test('gives the same notification as the synchronous path', async () => {
    const body = sign(buildRefundFields('full', { charset: 'GBK' }));
    assert.deepEqual(await v.verifyRefundAsync(body), v.verifyRefund(body));
    assert.deepEqual(await v.verifyAsync(body), v.verify(body));
  });

  test('rejects with the same codes', async () => {
    const body = sign(buildRefundFields('partial'));
    const forged = Buffer.from(body.toString('latin1').replace('refund_fee=30.00', 'refund_fee=90.00'), 'latin1');
    await assert.rejects(
      v.verifyAsync(forged),
      (e: unknown) => e instanceof AlipayNotifyError && e.code === 'ERR_SIGNATURE_INVALID',
    );
    await assert.rejects(v.verifyRefundAsync(sign(buildPaymentFields())), NotARefundError);
    await assert.rejects(
      v.verifyAsync(Buffer.from('a=%zz')),
      (e: unknown) => e instanceof AlipayNotifyError && e.code === 'ERR_BODY_MALFORMED',
    );
  });

  test('falls back to the other rules synchronously (empty value kept when signed)', async () => {
    const fields = { ...buildRefundFields('partial', { overrides: { body: '' } }), sign_type: 'RSA2' };
    const kept = buildSignContent(parseNotifyBody(encodeFormBody(fields)), { keepEmpty: true });
    const body = encodeFormBody({ ...fields, sign: cryptoSign('sha256', kept, alipay.privateKey).toString('base64') });
    assert.equal((await v.verifyAsync(body)).kind, 'trade_refund');
  });

  test('MD5 and a rotation list with the right key second', async () => {
    const rotated = createNotifyVerifier({ ...options, alipayPublicKey: [other.publicKey, alipay.publicKey] });
    assert.equal((await rotated.verifyAsync(sign(buildRefundFields('partial')))).kind, 'trade_refund');
    const md5 = createNotifyVerifier({ appId: APP_ID, signTypes: ['MD5'], md5Key: 'k'.repeat(32) });
    const body = signNotification(buildRefundFields('partial'), { signType: 'MD5', md5Key: 'k'.repeat(32) }).body;
    assert.equal((await md5.verifyAsync(body)).signType, 'MD5');
  });
});

test('verifyNotify notices a change to the options object it has seen before (no stale cached verifier)', () => {
  const alipayKey = generateTestKeyPair();
  const { body } = signNotification(buildRefundFields('partial', { appId: '2021000000000001' }), {
    privateKey: alipayKey.privateKey,
  });
  const opts: { alipayPublicKey: string; appId: string | string[] } = {
    alipayPublicKey: alipayKey.publicKey,
    appId: '2021000000000000',
  };
  assert.throws(() => verifyNotify(body, opts), { code: 'ERR_APP_ID_MISMATCH' });
  opts.appId = '2021000000000001';
  assert.equal(verifyNotify(body, opts).kind, 'trade_refund');
  opts.appId = ['2021000000000002'];
  assert.throws(() => verifyNotify(body, opts), { code: 'ERR_APP_ID_MISMATCH' });
  opts.appId[0] = '2021000000000001'; // an array changed in place
  assert.equal(verifyNotify(body, opts).kind, 'trade_refund');
});

test("verifyNotify keys its cached verifiers on the options' content: inline options of equal content agree, a different value is honoured", () => {
  const body = sign(buildRefundFields('full'));
  // Equal content in fresh objects, in any key order: same verdict each time.
  for (let i = 0; i < 3; i++) {
    assert.equal(verifyNotify(body, { appId: APP_ID, alipayPublicKey: alipay.publicKeyBase64 }).kind, 'trade_refund');
  }
  // One changed value (another app id, another key, an array element) is never served from the cache.
  assert.equal(
    codeOf(() => verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, appId: '2021000000000001' })),
    'ERR_APP_ID_MISMATCH',
  );
  assert.equal(
    codeOf(() => verifyNotify(body, { alipayPublicKey: other.publicKeyBase64, appId: APP_ID })),
    'ERR_SIGNATURE_INVALID',
  );
  assert.equal(
    codeOf(() => verifyNotify(body, { alipayPublicKey: [other.publicKeyBase64], appId: APP_ID })),
    'ERR_SIGNATURE_INVALID',
  );
  assert.equal(
    verifyNotify(body, { alipayPublicKey: [other.publicKeyBase64, alipay.publicKeyBase64], appId: APP_ID }).kind,
    'trade_refund',
  );
  // Functions are keyed by identity: a clock set 30 days ahead is used, not a cached verifier's clock.
  const late = () => new Date(Date.now() + 30 * 86_400_000);
  assert.equal(
    codeOf(() =>
      verifyNotify(body, {
        alipayPublicKey: alipay.publicKeyBase64,
        appId: APP_ID,
        now: late,
        maxNotifyAgeMs: 3_600_000,
      }),
    ),
    'ERR_NOTIFY_EXPIRED',
  );
  // A string that looks like the key of another option's value does not collide.
  assert.equal(
    codeOf(() => verifyNotify(body, { alipayPublicKey: alipay.publicKeyBase64, appId: [APP_ID + ';x'] })),
    'ERR_APP_ID_MISMATCH',
  );
});
