import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AlipayNotifyError, createNotifyVerifier } from '../../src/index.js';
import { buildRefundFields, encodeFormBody, generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const verifier = createNotifyVerifier({ alipayPublicKey: alipay.publicKey, appId: APP_ID });
const RUNS = 60;

// Text that has broken other libraries: +, %, &, =, spaces at the edges, Chinese, JSON, escapes.
const tricky = fc.string({
  unit: fc.constantFrom(...'ab Z09+%&=#?/\\"\'{}[]:,._-~*@!$()\t\n测试退款商品黑色钛金属（）€'.split('')),
  minLength: 1,
  maxLength: 40,
});
const amount = fc
  .tuple(fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 99 }))
  .map(([y, f]) => `${y}.${String(f).padStart(2, '0')}`);
const charset = fc.constantFrom('utf-8', 'UTF-8', 'GBK', 'gbk', 'gb2312', 'GB18030');

const refund = fc
  .record({
    type: fc.constantFrom('partial' as const, 'full' as const),
    charset,
    subject: tricky,
    body: tricky,
    passback: tricky,
    refundFee: amount,
  })
  .map((r) =>
    buildRefundFields(r.type, {
      appId: APP_ID,
      charset: r.charset,
      // GBK cannot carry €; keep the generated text encodable in the declared charset.
      overrides: {
        subject: r.charset.toLowerCase() === 'utf-8' ? r.subject : r.subject.replace(/€/g, 'E'),
        body: r.charset.toLowerCase() === 'utf-8' ? r.body : r.body.replace(/€/g, 'E'),
        passback_params: encodeURIComponent(r.passback),
        refund_fee: r.refundFee === '0.00' ? '0.01' : r.refundFee,
      },
    }),
  );

test('random refunds in UTF-8 and the GB family, signed as Alipay signs, always verify and decode back', () => {
  fc.assert(
    fc.property(refund, (fields) => {
      const { body } = signNotification(fields, { privateKey: alipay.privateKey });
      const n = verifier.verifyRefund(body);
      assert.equal(n.kind, 'trade_refund');
      for (const [k, v] of Object.entries(fields)) assert.equal(n.fields[k], v, k);
    }),
    { numRuns: RUNS },
  );
});

test('any single change to a signed refund is rejected', () => {
  const change = fc.oneof(
    fc.record({ op: fc.constant('edit' as const), suffix: fc.constantFrom('1', ' ', '+', '%', '测') }),
    fc.record({ op: fc.constant('remove' as const) }),
    fc.record({
      op: fc.constant('add' as const),
      name: fc.constantFrom('extra', 'notify_url', 'refund_reason'),
      value: tricky,
    }),
  );
  fc.assert(
    fc.property(refund, change, fc.nat(), (fields, c, pick) => {
      const signed = signNotification(fields, { privateKey: alipay.privateKey }).fields;
      const names = Object.keys(signed).filter((k) => k !== 'sign' && k !== 'sign_type' && k !== 'charset');
      const target = names[pick % names.length]!;
      const mutated: Record<string, string> = { ...signed };
      if (c.op === 'edit') mutated[target] = mutated[target] + c.suffix;
      else if (c.op === 'remove') delete mutated[target];
      else mutated[c.name] = c.value;
      const body = encodeFormBody(mutated, signed['charset']);
      try {
        verifier.verify(body);
      } catch (err) {
        assert.ok(err instanceof AlipayNotifyError, `untyped error ${String(err)}`);
        return;
      }
      assert.fail(`accepted a ${c.op} of ${c.op === 'add' ? c.name : target}`);
    }),
    { numRuns: RUNS },
  );
});

// What Alipay signed: every non-empty field but `sign` and `sign_type` (https://opendocs.alipay.com/open/270/105902).
function signedPart(fields: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(fields)
      .filter(([k, v]) => v !== '' && k !== 'sign' && k !== 'sign_type')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

test('one flipped byte anywhere in the raw body never changes what verifies', () => {
  const { body } = signNotification(buildRefundFields('partial', { appId: APP_ID }), { privateKey: alipay.privateKey });
  const original = signedPart(verifier.verify(body).fields);
  fc.assert(
    fc.property(fc.nat(body.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
      const copy = Buffer.from(body);
      copy[at]! ^= xor;
      let fields: Readonly<Record<string, string>>;
      try {
        fields = verifier.verify(copy).fields;
      } catch (err) {
        assert.ok(err instanceof AlipayNotifyError, `untyped error ${String(err)}`);
        return;
      }
      // Accepted only when the signed content is unchanged: a hex digit's case in an escape, or a
      // flip that only touches what is not signed (`sign_type=` → `sign_typey…`: an empty field, and
      // the algorithm the verifier pins anyway).
      assert.equal(signedPart(fields), original, `accepted a flip at ${at} that changed signed content`);
    }),
    { numRuns: 300 },
  );
});

test('the flip `sign_type=RSA2` → `sign_typeyRSA2` verifies the same content, under the pinned algorithm', () => {
  const { body } = signNotification(buildRefundFields('partial', { appId: APP_ID }), { privateKey: alipay.privateKey });
  const flipped = Buffer.from(body.toString('latin1').replace('sign_type=RSA2', 'sign_typeyRSA2'), 'latin1');
  const n = verifier.verify(flipped);
  assert.equal(signedPart(n.fields), signedPart(verifier.verify(body).fields));
  assert.equal(n.signType, 'RSA2');
  // With two accepted types the algorithm is not guessed: the same body is refused.
  const both = createNotifyVerifier({ alipayPublicKey: alipay.publicKey, appId: APP_ID, signTypes: ['RSA2', 'RSA'] });
  assert.throws(
    () => both.verify(flipped),
    (e: unknown) => e instanceof AlipayNotifyError && e.code === 'ERR_SIGN_TYPE_UNSUPPORTED',
  );
});
