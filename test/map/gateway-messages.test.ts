// Gateway messages (src/map/to-gateway-notification.ts, to-other-notification.ts): the real `servicemarket_order_notify` vector, the
// `sign_type` fallback, and the deposit-back message.
//
// There is NO public signed deposit-back message (`alipay.trade.refund.depositback.completed`):
// every search hit was a model class or doc text (test/fixtures/VECTORS.md). The deposit-back
// tests therefore sign fixtures with a throwaway key, built from the documentation's example
// values (https://opendocs.alipay.com/solution/e2a7e429_alipay.trade.refund.depositback.completed)
// by src/testing/build-message-fields.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlipayNotifyError, NotARefundError, verifyNotify, verifyRefundNotify } from '../../src/index.js';
import { buildSignContent, parseNotifyBody, verifySignature } from '../../src/building-blocks.js';
import type { NotifyVerifierOptions } from '../../src/index.js';
import { candidateRules } from '../../src/verifier/check-signature.js';
import { buildGatewayMessageFields, buildDepositbackFields } from '../../src/testing/build-message-fields.js';
import { buildRefundFields, encodeFormBody, generateTestKeyPair, signNotification } from '../../src/testing/index.js';
import { verified } from '../support/vectors.js';

function rejects(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof AlipayNotifyError && err.code === code);
}

// ---- servicemarket_order_notify: the one real gateway vector ----

const market = verified.find((v) => v.kind === 'servicemarket_order_notify')!;
const marketParams = market.params!;
const marketOptions: NotifyVerifierOptions = { alipayPublicKey: market.public_key!, appId: marketParams['app_id']! };

test('servicemarket_order_notify verifies and becomes kind other (only msg_method messages are gateway messages)', () => {
  const n = verifyNotify(marketParams, marketOptions);
  assert.equal(n.kind, 'other');
  if (n.kind !== 'other') return;
  assert.equal(n.notifyType, 'servicemarket_order_notify');
  assert.equal(n.method, 'alipay.open.servicemarket.order.notify');
  assert.equal(n.notifyId, '2019030800222102023008121054923345');
  assert.equal(n.notifyTime?.toISOString(), '2019-03-08T02:20:23.000Z');
  assert.equal(n.fields['title'], '麦禾商城模版');
});

test('servicemarket_order_notify is signed with sign_type kept: only the fallback rule verifies it', () => {
  const parsed = parseNotifyBody(marketParams);
  const keys = { alipayPublicKey: market.public_key! };
  assert.throws(() => verifySignature(buildSignContent(parsed), marketParams['sign']!, 'RSA2', keys));
  assert.ok(verifySignature(buildSignContent(parsed, { keepSignType: true }), marketParams['sign']!, 'RSA2', keys));
  // The spec rule is tried first, so genuine trade_status_sync costs one RSA operation.
  assert.deepEqual(candidateRules(parsed, false), [{}, { keepSignType: true }]);
});

test('servicemarket_order_notify: a one-field change of any field is rejected', () => {
  for (const name of Object.keys(marketParams)) {
    if (name === 'sign' || name === 'sign_type' || name === 'charset') continue;
    rejects(
      () => verifyNotify({ ...marketParams, [name]: `${marketParams[name]}0` }, marketOptions),
      'ERR_SIGNATURE_INVALID',
    );
  }
  rejects(() => verifyNotify({ ...marketParams, charset: 'GBK' }, marketOptions), 'ERR_CHARSET_UNSUPPORTED');
  rejects(() => verifyNotify({ ...marketParams, sign_type: 'RSA' }, marketOptions), 'ERR_SIGN_TYPE_UNSUPPORTED');
  rejects(() => verifyRefundNotify(marketParams, marketOptions), 'ERR_NOT_A_REFUND');
});

// ---- The sign_type fallback is for gateway messages only ----

const alipay = generateTestKeyPair();
const options: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKey, appId: '2021000000000000' };

test('a trade_status_sync signed with sign_type kept is not accepted (no fallback for V1 notifications)', () => {
  const signed = signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey, keepSignType: true });
  rejects(() => verifyNotify(signed.body, options), 'ERR_SIGNATURE_INVALID');
  assert.deepEqual(candidateRules(parseNotifyBody(signed.body), false), [{}]);
});

// ---- Deposit-back ----

const NOW = new Date('2020-06-02T06:03:50.123Z');

test('deposit-back S: typed refund_depositback with the amount and the exact signed biz_content', () => {
  const signed = signNotification(buildDepositbackFields('S', { now: NOW }), { privateKey: alipay.privateKey });
  const n = verifyRefundNotify(signed.body, options);
  assert.equal(n.kind, 'refund_depositback');
  if (n.kind !== 'refund_depositback') return;
  assert.equal(n.tradeNo, '2014112611001004680073956707');
  assert.equal(n.outTradeNo, '20150320010101001');
  assert.equal(n.outRequestNo, 'HZ01RF001');
  assert.equal(n.dbackStatus, 'S');
  assert.deepEqual(n.dbackAmount, { fen: 101, yuan: '1.01' });
  assert.equal(n.bankAckTime?.toISOString(), '2020-06-02T06:03:48.000Z');
  assert.equal(n.estBankReceiptTime?.toISOString(), '2020-06-02T06:03:48.000Z');
  assert.equal(n.notifyTime.toISOString(), NOW.toISOString()); // utc_timestamp, epoch ms
  assert.equal(n.notifyId, signed.fields['notify_id']);
  assert.equal(n.appId, '2021000000000000');
  assert.equal(n.bizContent, signed.fields['biz_content']);
  assert.equal(n.fields['msg_method'], 'alipay.trade.refund.depositback.completed');
});

test('deposit-back F: no amount (the money went to the Alipay balance)', () => {
  const signed = signNotification(buildDepositbackFields('F', { now: NOW }), { privateKey: alipay.privateKey });
  const n = verifyRefundNotify(signed.body, options);
  assert.equal(n.kind, 'refund_depositback');
  if (n.kind !== 'refund_depositback') return;
  assert.equal(n.dbackStatus, 'F');
  assert.equal(n.dbackAmount, undefined);
  assert.ok(!n.bizContent.includes('dback_amount'));
});

test('deposit-back: biz_content is kept byte-for-byte (spacing and key order as signed)', () => {
  const fields = buildDepositbackFields('S', { now: NOW });
  // A hand-formatted JSON string: re-serialising it would change the signed bytes.
  const biz =
    '{ "dback_status":"S", "trade_no":"2014112611001004680073956707","out_trade_no":"20150320010101001","out_request_no":"HZ01RF001","dback_amount":"1.01" }';
  const signed = signNotification({ ...fields, biz_content: biz }, { privateKey: alipay.privateKey });
  const n = verifyRefundNotify(signed.body, options);
  assert.equal(n.kind === 'refund_depositback' && n.bizContent, biz);
  assert.equal(n.kind === 'refund_depositback' && n.bankAckTime, undefined);
});

test('deposit-back: a one-field change of any field is rejected', () => {
  const signed = signNotification(buildDepositbackFields('S', { now: NOW }), { privateKey: alipay.privateKey });
  for (const name of Object.keys(signed.fields)) {
    if (name === 'sign' || name === 'sign_type' || name === 'charset') continue;
    const value = name === 'biz_content' ? signed.fields[name]!.replace('1.01', '9.01') : `${signed.fields[name]}1`;
    rejects(() => verifyNotify(encodeFormBody({ ...signed.fields, [name]: value }), options), 'ERR_SIGNATURE_INVALID');
  }
});

test('deposit-back signed with sign_type kept (V2 style) verifies through the gateway fallback', () => {
  const signed = signNotification(buildDepositbackFields('S', { now: NOW }), {
    privateKey: alipay.privateKey,
    keepSignType: true,
  });
  assert.equal(verifyRefundNotify(signed.body, options).kind, 'refund_depositback');
});

test('deposit-back with malformed business content is ERR_FIELD_INVALID, not a crash', () => {
  const cases: [Record<string, string | undefined>, string][] = [
    [{ dback_status: 'P' }, 'dback_status'],
    [{ dback_amount: '1.011' }, 'dback_amount'],
    [{ out_request_no: undefined }, 'out_request_no'],
    [{ bank_ack_time: '2020/06/02' }, 'bank_ack_time'],
  ];
  for (const [bizContent, field] of cases) {
    const signed = signNotification(buildDepositbackFields('S', { now: NOW, bizContent }), {
      privateKey: alipay.privateKey,
    });
    assert.throws(
      () => verifyNotify(signed.body, options),
      (err: unknown) =>
        err instanceof AlipayNotifyError &&
        err.code === 'ERR_FIELD_INVALID' &&
        (err as { field?: string }).field === field,
    );
  }
  const numeric = signNotification(
    {
      ...buildDepositbackFields('S', { now: NOW }),
      biz_content: '{"trade_no":"1","out_trade_no":"2","out_request_no":"3","dback_status":"S","dback_amount":1.01}',
    },
    { privateKey: alipay.privateKey },
  );
  rejects(() => verifyNotify(numeric.body, options), 'ERR_FIELD_INVALID');
  const seconds = signNotification(
    buildDepositbackFields('S', { now: NOW, overrides: { utc_timestamp: '1591077830' } }),
    { privateKey: alipay.privateKey },
  );
  rejects(() => verifyNotify(seconds.body, options), 'ERR_FIELD_INVALID');
});

test('a deposit-back whose biz_content is a JSON array is refused, not read as empty', () => {
  const signed = signNotification(buildDepositbackFields('S', { overrides: { biz_content: '[]' } }), {
    privateKey: alipay.privateKey,
  });
  assert.throws(() => verifyNotify(signed.body, options), {
    code: 'ERR_FIELD_INVALID',
    field: 'biz_content',
    message: /not a JSON object/,
  });
});

// ---- Other msg_method messages ----

test('another msg_method message (alipay.fund.trans.order.changed, in GBK) becomes a gateway_message with parsed content', () => {
  const biz = {
    pay_fund_order_id: '20190801110070001506380000251556',
    out_biz_no: '201806300001',
    status: 'SUCCESS',
    action_type: 'FINISH',
    trans_amount: '32.00',
    remark: '转账备注',
  };
  const signed = signNotification(
    buildGatewayMessageFields('alipay.fund.trans.order.changed', biz, { charset: 'GBK', now: NOW }),
    { privateKey: alipay.privateKey },
  );
  assert.ok(signed.body.toString('latin1').includes('%D7%AA%D5%CB')); // 转账 in GBK on the wire
  const n = verifyNotify(signed.body, options);
  assert.equal(n.kind, 'gateway_message');
  if (n.kind !== 'gateway_message') return;
  assert.equal(n.method, 'alipay.fund.trans.order.changed');
  assert.deepEqual(n.bizContent, biz);
  assert.equal(n.charset, 'gbk');
  assert.equal(n.notifyTime?.toISOString(), NOW.toISOString());
  assert.throws(
    () => verifyRefundNotify(signed.body, options),
    (err: unknown) =>
      err instanceof NotARefundError && (err.notification as { kind: string }).kind === 'gateway_message',
  );
});

test('a gateway message whose biz_content is not JSON (e.g. encrypted) still verifies, bizContent undefined', () => {
  const fields = {
    ...buildGatewayMessageFields('alipay.open.app.message.changed', {}),
    biz_content: 'q1w2e3r4t5y6==',
    encrypt_type: 'AES',
  };
  const n = verifyNotify(signNotification(fields, { privateKey: alipay.privateKey }).body, options);
  assert.equal(n.kind === 'gateway_message' && n.bizContent, undefined);
  assert.equal(n.fields['biz_content'], 'q1w2e3r4t5y6==');
});

test('a message without utc_timestamp takes notify_time; a deposit-back with neither is refused', () => {
  const sign = (fields: Record<string, string>): Buffer =>
    signNotification(fields, { privateKey: alipay.privateKey }).body;
  const withNotifyTime = verifyNotify(
    sign(
      buildGatewayMessageFields(
        'alipay.fund.trans.order.changed',
        { status: 'SUCCESS' },
        { overrides: { utc_timestamp: undefined, notify_time: '2024-05-01 12:00:00' } },
      ),
    ),
    options,
  );
  assert.equal(withNotifyTime.kind, 'gateway_message');
  assert.equal(withNotifyTime.notifyTime?.toISOString(), '2024-05-01T04:00:00.000Z');

  const bare = verifyNotify(
    sign(buildGatewayMessageFields('alipay.fund.trans.order.changed', {}, { overrides: { utc_timestamp: undefined } })),
    options,
  );
  assert.equal(bare.notifyTime, undefined);

  const depositback = sign(buildDepositbackFields('S', { overrides: { utc_timestamp: undefined } }));
  assert.throws(() => verifyNotify(depositback, options), {
    code: 'ERR_FIELD_INVALID',
    field: 'utc_timestamp',
    message: /required field is missing/,
  });
});

// ---- Other notify_type values ----

test('an unknown notify_type without msg_method is kind other, named by notify_type and its method field', () => {
  const sign = (fields: Record<string, string>): Buffer =>
    signNotification(fields, { privateKey: alipay.privateKey }).body;
  const n = verifyNotify(
    sign({
      notify_type: 'open_app_auth_notify',
      method: 'alipay.open.auth.token.app',
      notify_id: 'nmethod',
      app_id: '2021000000000000',
      charset: 'utf-8',
    }),
    options,
  );
  assert.equal(n.kind, 'other');
  if (n.kind !== 'other') return;
  assert.equal(n.notifyType, 'open_app_auth_notify');
  assert.equal(n.method, 'alipay.open.auth.token.app');
  assert.equal(n.notifyTime, undefined);
  const bare = verifyNotify(
    sign({ notify_type: 'open_app_auth_notify', notify_id: 'nbare', app_id: '2021000000000000', charset: 'utf-8' }),
    options,
  );
  assert.equal(bare.kind === 'other' && bare.method, undefined);
});
