// Edges of src/map/*: leap days in Beijing times, snake_case and incomplete fund_bill_list
// entries, message times without utc_timestamp, a biz_content that is not an object, and a gateway
// notification named by its `method` field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyNotify } from '../../src/index.js';
import { parseBeijingTime, parseFundBillList } from '../../src/building-blocks.js';
import { buildDepositbackFields, buildGatewayMessageFields } from '../../src/testing/build-message-fields.js';
import { generateTestKeyPair, signNotification } from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const options = { alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID };
const sign = (fields: Record<string, string>) => signNotification(fields, { privateKey: alipay.privateKey }).body;

test('29 February exists in 2024 and 2000, not in 2023 or 1900 (Gregorian century rule)', () => {
  assert.equal(parseBeijingTime('2024-02-29 08:00:00', 'gmt_refund').toISOString(), '2024-02-29T00:00:00.000Z');
  assert.equal(parseBeijingTime('2000-02-29 08:00:00', 'gmt_refund').toISOString(), '2000-02-29T00:00:00.000Z');
  for (const text of ['2023-02-29 08:00:00', '1900-02-29 08:00:00']) {
    assert.throws(() => parseBeijingTime(text, 'gmt_refund'), { code: 'ERR_FIELD_INVALID', field: 'gmt_refund', message: /not a valid calendar time/ });
  }
});

test('fund_bill_list entries in snake_case are read; one without an amount is refused', () => {
  const [bill] = parseFundBillList('[{"fund_channel":"ALIPAYACCOUNT","amount":"10.00"}]');
  assert.equal(bill!.fundChannel, 'ALIPAYACCOUNT');
  assert.equal(bill!.amount.fen, 1000);
  assert.throws(() => parseFundBillList('[{"fundChannel":"PCREDIT"}]', 'refund_preset_paytool_list'), {
    code: 'ERR_FIELD_INVALID',
    field: 'refund_preset_paytool_list',
    message: /entry lacks fundChannel or amount/,
  });
});

test('a message without utc_timestamp takes notify_time; a deposit-back with neither is refused', () => {
  const withNotifyTime = verifyNotify(sign(buildGatewayMessageFields('alipay.fund.trans.order.changed', { status: 'SUCCESS' }, { overrides: { utc_timestamp: undefined, notify_time: '2024-05-01 12:00:00' } })), options);
  assert.equal(withNotifyTime.kind, 'gateway_message');
  assert.equal(withNotifyTime.notifyTime?.toISOString(), '2024-05-01T04:00:00.000Z');

  const bare = verifyNotify(sign(buildGatewayMessageFields('alipay.fund.trans.order.changed', {}, { overrides: { utc_timestamp: undefined } })), options);
  assert.equal(bare.notifyTime, undefined);

  const depositback = sign(buildDepositbackFields('S', { overrides: { utc_timestamp: undefined } }));
  assert.throws(() => verifyNotify(depositback, options), { code: 'ERR_FIELD_INVALID', field: 'utc_timestamp', message: /required field is missing/ });
});

test('a deposit-back whose biz_content is a JSON array is refused, not read as empty', () => {
  const body = sign(buildDepositbackFields('S', { overrides: { biz_content: '[]' } }));
  assert.throws(() => verifyNotify(body, options), { code: 'ERR_FIELD_INVALID', field: 'biz_content', message: /not a JSON object/ });
});

test('an unknown notify_type without msg_method is kind other, named by notify_type and its method field', () => {
  const n = verifyNotify(sign({ notify_type: 'open_app_auth_notify', method: 'alipay.open.auth.token.app', notify_id: 'nmethod', app_id: APP_ID, charset: 'utf-8' }), options);
  assert.equal(n.kind, 'other');
  if (n.kind !== 'other') return;
  assert.equal(n.notifyType, 'open_app_auth_notify');
  assert.equal(n.method, 'alipay.open.auth.token.app');
  assert.equal(n.notifyTime, undefined);
  const bare = verifyNotify(sign({ notify_type: 'open_app_auth_notify', notify_id: 'nbare', app_id: APP_ID, charset: 'utf-8' }), options);
  assert.equal(bare.kind === 'other' && bare.method, undefined);
});
