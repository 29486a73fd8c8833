// Return URLs, and the three kinds of refund:
// - the return-URL vectors (kind `return_url`): synchronous browser redirects that carry no
//   `notify_id`, so `verifyNotify` rejects them by design; they still verify through the building
//   blocks (parseNotifyBody + buildSignContent + verifySignature);
// - `verifyRefundNotify` returns all three refund kinds, from one verifier.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AlipayNotifyError,
  isRefundNotification,
  NotifyFieldError,
  verifyNotify,
  verifyRefundNotify,
} from '../../src/index.js';
import {
  buildSignContent,
  importAlipayCertificate,
  parseNotifyBody,
  verifySignature,
} from '../../src/building-blocks.js';
import type { NotifyVerifierOptions, RefundNotification, SignType } from '../../src/index.js';
import { buildBatchRefundFields, buildDepositbackFields } from '../../src/testing/build-message-fields.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../src/testing/index.js';
import { hasWireBody, verified } from '../support/vectors.js';

const returns = verified.filter((v) => v.kind === 'return_url');

const keyOf = (v: (typeof returns)[number]) =>
  v.cert !== undefined ? importAlipayCertificate(v.cert).key : v.public_key!;

test('there are five return-URL vectors, none with a notify_id', () => {
  assert.equal(returns.length, 5);
  for (const v of returns) assert.equal(v.params?.['notify_id'], undefined);
});

for (const v of returns) {
  test(`return URL ${v.id} verifies through the building blocks`, () => {
    const parsed = parseNotifyBody(hasWireBody(v) ? v.raw_body : v.params!);
    const result = verifySignature(buildSignContent(parsed), parsed.fields['sign']!, v.sign_type as SignType, {
      alipayPublicKey: keyOf(v),
    });
    assert.match(result.fingerprint, /^sha256:/);
    // A one-field change of any signed field is rejected.
    for (const name of parsed.names) {
      if (name === 'sign' || name === 'sign_type' || name === 'charset') continue;
      const changed = parseNotifyBody({ ...v.params!, [name]: `${v.params![name]}0` });
      assert.throws(
        () =>
          verifySignature(buildSignContent(changed), parsed.fields['sign']!, v.sign_type as SignType, {
            alipayPublicKey: keyOf(v),
          }),
        AlipayNotifyError,
      );
    }
  });

  test(`return URL ${v.id} is out of scope for verifyNotify (no notify_id): ERR_FIELD_INVALID`, () => {
    const p = v.params!;
    const options: NotifyVerifierOptions = {
      ...(v.cert !== undefined
        ? { alipayPublicCert: v.cert, now: () => new Date(`${p['timestamp']!.replace(' ', 'T')}+08:00`) }
        : { alipayPublicKey: v.public_key! }),
      appId: p['app_id']!,
      signTypes: [v.sign_type as SignType],
    };
    assert.throws(
      () => verifyNotify(hasWireBody(v) ? v.raw_body : p, options),
      (err: unknown) => err instanceof NotifyFieldError && err.field === 'notify_id',
    );
  });
}

// ---- verifyRefundNotify: all three refund kinds ----

test('one verifier returns trade_refund, refund_depositback and batch_refund', () => {
  const alipay = generateTestKeyPair();
  const md5Key = 'testpartnerkey0123456789abcdefgh';
  const options: NotifyVerifierOptions = {
    alipayPublicKey: alipay.publicKey,
    appId: '2021000000000000',
    partner: '2088000000000000',
    signTypes: ['RSA2', 'MD5'],
    md5Key,
  };
  const bodies = [
    signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey }).body,
    signNotification(buildDepositbackFields('S'), { privateKey: alipay.privateKey }).body,
    signNotification(buildBatchRefundFields(), { signType: 'MD5', md5Key }).body,
  ];
  const kinds = bodies.map((b) => {
    const n: RefundNotification = verifyRefundNotify(b, options);
    assert.ok(isRefundNotification(n));
    return n.kind;
  });
  assert.deepEqual(kinds, ['trade_refund', 'refund_depositback', 'batch_refund']);
});

test('the real MAPI refund vector (legacy shared RSA key) is a full trade_refund', () => {
  const v = verified.find((x) => x.kind === 'refund')!;
  const n = verifyRefundNotify(v.params!, {
    alipayPublicKey: v.public_key!,
    signTypes: ['RSA'],
    partner: v.params!['seller_id']!,
  });
  assert.equal(n.kind, 'trade_refund');
  assert.equal(n.kind === 'trade_refund' && n.refundType, 'full');
  assert.equal(n.kind === 'trade_refund' && n.gmtRefund?.toISOString(), '2014-10-30T11:34:22.000Z');
});
