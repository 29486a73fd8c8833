// Field folding: an attacker holding one genuine body moves later fields into an earlier field's
// value. The signed bytes are unchanged, so the signature verifies; the verifier must refuse the
// folded copy (ERR_SIGNATURE_AMBIGUOUS) and keep accepting values that merely hold `&` and `=`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AlipayNotifyError, NotifySignatureError, verifyNotify, type NotifyVerifierOptions } from '../../src/index.js';
import {
  buildBatchRefundFields,
  buildGatewayMessageFields,
  buildPaymentFields,
  buildRefundFields,
  encodeFormBody,
  generateTestCertificates,
  generateTestKeyPair,
  signNotification,
  signNotificationWithCertificate,
} from '../../src/testing/index.js';
import { everyFold, fold, signedOrder } from '../support/fold.js';
import { verified, type Vector } from '../support/vectors.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const options: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKey, appId: APP_ID };

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof AlipayNotifyError, `not a typed error: ${String(err)}`);
    return err.code;
  }
  return 'accepted';
}

// A fold into `charset` or `sign_type` is refused before the signature is even checked: the
// label is no longer a charset, or a signature type.
function refusal(field: string): string {
  return field === 'charset'
    ? 'ERR_CHARSET_UNSUPPORTED'
    : field === 'sign_type'
      ? 'ERR_SIGN_TYPE_UNSUPPORTED'
      : 'ERR_SIGNATURE_AMBIGUOUS';
}

function signed(fields: Record<string, string>, keepSignType = false): Record<string, string> {
  return signNotification(fields, { privateKey: alipay.privateKey, keepSignType }).fields;
}

// ---- the attacks the audit found, one by one ----

test('notify_type swallowing every later field: refused, not mapped to another kind', () => {
  const genuine = signed(buildRefundFields('partial'));
  const order = signedOrder(genuine);
  const folded = fold(genuine, order, 'notify_type', order.length - 1 - order.indexOf('notify_type'));
  assert.equal(verifyNotify(encodeFormBody(genuine), options).kind, 'trade_refund');
  assert.throws(
    () => verifyNotify(encodeFormBody(folded), options),
    (err: unknown) => {
      assert.ok(err instanceof NotifySignatureError);
      assert.equal(err.code, 'ERR_SIGNATURE_AMBIGUOUS');
      assert.equal(err.field, 'notify_type');
      assert.equal(err.signType, 'RSA2');
      return true;
    },
  );
});

test('notify_id swallowing notify_time: refused (it would be a second notify_id for one message)', () => {
  const genuine = signed(buildRefundFields('full'));
  const folded = fold(genuine, signedOrder(genuine), 'notify_id', 1);
  assert.equal(
    codeOf(() => verifyNotify(encodeFormBody(folded), options)),
    'ERR_SIGNATURE_AMBIGUOUS',
  );
});

test('gmt_payment swallowing gmt_refund and passback_params swallowing refund_fee: refused (a refund read as a payment)', () => {
  const genuine = signed(buildRefundFields('partial', { overrides: { passback_params: 'merchant%3D1' } }));
  const order = signedOrder(genuine);
  assert.deepEqual(order.slice(order.indexOf('gmt_payment'), order.indexOf('gmt_payment') + 2), [
    'gmt_payment',
    'gmt_refund',
  ]);
  let folded = fold(genuine, order, 'gmt_payment', 1);
  folded = fold(folded, signedOrder(folded), 'passback_params', 2); // point_amount, receipt_amount… refund_fee
  assert.equal(
    codeOf(() => verifyNotify(encodeFormBody(folded), options)),
    'ERR_SIGNATURE_AMBIGUOUS',
  );
});

test('seller_email swallowing seller_id: refused (the seller check cannot be skipped by hiding the field)', () => {
  const genuine = signed(buildPaymentFields());
  const folded = fold(genuine, signedOrder(genuine), 'seller_email', 1);
  assert.equal(folded['seller_id'], undefined);
  assert.equal(
    codeOf(() => verifyNotify(encodeFormBody(folded), options)),
    'ERR_SIGNATURE_AMBIGUOUS',
  );
  assert.equal(
    codeOf(() => verifyNotify(encodeFormBody(folded), { ...options, sellerId: '2088000000000000' })),
    'ERR_SIGNATURE_AMBIGUOUS',
  );
});

test('a field swallowing sign_type of a message signed with sign_type kept: refused', () => {
  const genuine = signed(
    { ...buildGatewayMessageFields('alipay.open.example', { a: 1 }), service_code: 'SC001' },
    true,
  );
  const order = signedOrder(genuine, true);
  assert.equal(order[order.indexOf('service_code') + 1], 'sign_type');
  const folded = fold(genuine, order, 'service_code', 1);
  assert.equal(
    codeOf(() => verifyNotify(encodeFormBody(folded), options)),
    'ERR_SIGNATURE_AMBIGUOUS',
  );
});

test('a split-out field may swallow the fields after it: a value holding &Y= with Y past the next field is refused too', () => {
  // subject=a&zz=1 reads as subject=a, zz=1&total_amount=…&…: a second reading although zz sorts
  // after total_amount (the field that follows subject).
  const genuine = signed(buildRefundFields('partial', { overrides: { subject: 'a&zz=1' } }));
  assert.equal(
    codeOf(() => verifyNotify(encodeFormBody(genuine), options)),
    'ERR_SIGNATURE_AMBIGUOUS',
  );
});

// ---- what must keep verifying ----

test('values that merely hold & and = without a second reading still verify, decoded exactly', () => {
  for (const overrides of [
    { passback_params: 'a=1&b=2' }, // sent unencoded; b sorts before passback_params
    { subject: 'Tom & Jerry = friends' }, // " Jerry " is no field name
    { subject: 'a&b=c%d' },
    { body: 'x&&=&a=', subject: '&', passback_params: '=&=' },
  ]) {
    const fields = signed(buildRefundFields('partial', { overrides }));
    const n = verifyNotify(encodeFormBody(fields), options);
    for (const [k, v] of Object.entries(overrides)) assert.equal(n.fields[k], v, k);
  }
});

// ---- every fold of random genuine notifications ----

const charset = fc.constantFrom('utf-8', 'GBK');
const genuineNotification = fc.oneof(
  fc
    .record({ type: fc.constantFrom('partial' as const, 'full' as const), charset })
    .map((r) => buildRefundFields(r.type, { charset: r.charset })),
  charset.map((c) => buildPaymentFields({ charset: c })),
  fc.constant(buildGatewayMessageFields('alipay.fund.trans.order.changed', { status: 'SUCCESS', out_biz_no: 'x&a=1' })),
);

// Every signed-string variant we accept: the documented one, empty values kept (PHP, Node), and
// sign_type kept (old gateway messages).
const variant = fc.constantFrom('documented' as const, 'keepEmpty' as const, 'keepSignType' as const);

test('property: every fold of every field of a random genuine notification is refused, in every variant', () => {
  let folds = 0;
  fc.assert(
    fc.property(genuineNotification, variant, (fields, v) => {
      const keepEmpty = v === 'keepEmpty';
      const keepSignType = v === 'keepSignType' && fields['msg_method'] !== undefined;
      const genuine = signNotification(keepEmpty ? { ...fields, body: '' } : fields, {
        privateKey: alipay.privateKey,
        keepEmpty,
        keepSignType,
      }).fields;
      const order = signedOrder(genuine, keepSignType, keepEmpty);
      assert.notEqual(
        codeOf(() => verifyNotify(encodeFormBody(genuine, genuine['charset']), options)),
        'ERR_SIGNATURE_AMBIGUOUS',
      );
      for (const [field, count] of everyFold(order)) {
        folds++;
        const body = encodeFormBody(fold(genuine, order, field, count), genuine['charset']);
        // Swallowing `charset` of a GBK body leaves GBK bytes read as UTF-8: refused as malformed first.
        const swallowsCharset = order
          .slice(order.indexOf(field) + 1, order.indexOf(field) + 1 + count)
          .includes('charset');
        const expected = swallowsCharset && genuine['charset'] !== 'utf-8' ? 'ERR_BODY_MALFORMED' : refusal(field);
        assert.equal(
          codeOf(() => verifyNotify(body, options)),
          expected,
          `${v}: ${field} swallowing ${count}`,
        );
      }
    }),
    { numRuns: 24, seed: 20260601 },
  );
  assert.ok(folds > 2000, `only ${folds} folds tried`);
});

test('certificate mode: folds into and around alipay_cert_sn are refused', () => {
  const certs = generateTestCertificates();
  const genuine = signNotificationWithCertificate(buildRefundFields('partial'), certs).fields;
  const opts: NotifyVerifierOptions = {
    alipayPublicCert: certs.alipayPublicCert,
    alipayRootCert: certs.alipayRootCert,
    appId: APP_ID,
  };
  assert.equal(verifyNotify(encodeFormBody(genuine), opts).kind, 'trade_refund');
  const order = signedOrder(genuine);
  assert.ok(order.includes('alipay_cert_sn'));
  for (const [field, count] of everyFold(order)) {
    const code = codeOf(() => verifyNotify(encodeFormBody(fold(genuine, order, field, count)), opts));
    // A fold into alipay_cert_sn changes the SN itself: no certificate has it.
    assert.equal(
      code,
      field === 'alipay_cert_sn' ? 'ERR_CERT_NOT_FOUND' : refusal(field),
      `${field} swallowing ${count}`,
    );
  }
});

// Values with `&name=` pieces whose names all sort before the field they sit in: no second reading.
const earlyName = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmno_'.split('')), minLength: 1, maxLength: 8 })
  .filter((n) => /^[a-o]/.test(n));
const text = fc.string({ unit: fc.constantFrom(...'xyz 0+%#=测试'.split('')), maxLength: 6 });
const pieces = fc.array(fc.tuple(earlyName, text), { maxLength: 5 });

test('property: random values with & and = that have no second reading verify, decoded exactly', () => {
  fc.assert(
    fc.property(
      text.filter((t) => t !== ''),
      pieces,
      (head, rest) => {
        const value = head + rest.map(([n, v]) => `&${n}=${v}`).join('');
        const fields = signed(
          buildRefundFields('partial', { overrides: { passback_params: value, subject: `s${value}` } }),
        );
        const n = verifyNotify(encodeFormBody(fields), options);
        assert.equal(n.fields['passback_params'], value);
        assert.equal(n.fields['subject'], `s${value}`);
      },
    ),
    { numRuns: 150 },
  );
});

// ---- the real Alipay vectors: every fold is refused ----

function vectorOptions(v: Vector): NotifyVerifierOptions {
  const p = v.params!;
  const legacy = p['app_id'] === undefined;
  return {
    ...(v.public_key === undefined ? {} : { alipayPublicKey: v.public_key }),
    ...(v.md5_key === undefined ? {} : { md5Key: v.md5_key }),
    ...(legacy
      ? { partner: p['seller_id'] ?? '2088000000000000', acceptRsaBatchRefund: true }
      : { appId: p['app_id']! }),
    signTypes: [v.sign_type as 'RSA2' | 'RSA' | 'MD5'],
  };
}

test('real vectors: each genuine one verifies, and every fold of it is refused as ambiguous', () => {
  // Return URLs (no notify_id) are not notifications; certificate-mode vectors fold the same way.
  const usable = verified.filter(
    (v) =>
      v.kind !== 'return_url' &&
      v.params !== undefined &&
      v.sign_type !== null &&
      (v.public_key !== undefined || v.md5_key !== undefined),
  );
  assert.ok(usable.length >= 25, `only ${usable.length} usable vectors`);
  let folds = 0;
  for (const v of usable) {
    const opts = vectorOptions(v);
    const n = verifyNotify(v.params!, opts);
    const keepSignType = n.kind === 'other'; // the app gateway's servicemarket_order_notify signs sign_type
    const order = signedOrder(v.params!, keepSignType);
    for (const [field, count] of everyFold(order)) {
      folds++;
      assert.equal(
        codeOf(() => verifyNotify(fold(v.params!, order, field, count), opts)),
        refusal(field),
        `${v.id}: ${field} swallowing ${count}`,
      );
    }
  }
  assert.ok(folds > 5000, `only ${folds} folds tried`);
});

test('a legacy batch refund folded: refused as well (MD5)', () => {
  const fields = signNotification(buildBatchRefundFields(), { signType: 'MD5', md5Key: 'k'.repeat(32) }).fields;
  const order = signedOrder(fields);
  const opts: NotifyVerifierOptions = { signTypes: ['MD5'], md5Key: 'k'.repeat(32), partner: '2088000000000000' };
  assert.equal(verifyNotify(encodeFormBody(fields), opts).kind, 'batch_refund');
  for (const [field, count] of everyFold(order))
    assert.equal(
      codeOf(() => verifyNotify(encodeFormBody(fold(fields, order, field, count)), opts)),
      refusal(field),
    );
});
