// The fields that decide what a notification is, and whose, must be plain tokens of their
// documented alphabet: anything else is ERR_FIELD_INVALID, never re-read as another kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotifyFieldError, verifyNotify, type NotifyVerifierOptions } from '../../src/index.js';
import {
  buildDepositbackFields,
  buildGatewayMessageFields,
  buildRefundFields,
  generateTestKeyPair,
  signNotification,
} from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const options: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKey, appId: APP_ID };
const sign = (fields: Record<string, string>): Buffer =>
  signNotification(fields, { privateKey: alipay.privateKey }).body;

function refusedAs(field: string, body: Buffer): void {
  assert.throws(
    () => verifyNotify(body, options),
    (err: unknown) => err instanceof NotifyFieldError && err.code === 'ERR_FIELD_INVALID' && err.field === field,
    field,
  );
}

test('a signed refund whose deciding fields leave their alphabet is ERR_FIELD_INVALID', () => {
  const bad: Record<string, string> = {
    notify_type: 'trade_status_sync ',
    notify_id: 'abc-123',
    trade_status: 'TRADE_SUCCESS;',
    trade_no: '2016071921001003030200089909 ',
    out_trade_no: 'ORDER&1',
    out_biz_no: 'REFUND=1',
    seller_id: '2088 0000',
    buyer_id: '2088/1',
    app_id: '2021-0000',
  };
  for (const [field, value] of Object.entries(bad)) {
    // app_id is checked against the options first; as a token it is refused the same way.
    const opts = field === 'app_id' ? { ...options, appId: value } : options;
    assert.throws(() => verifyNotify(sign(buildRefundFields('partial', { overrides: { [field]: value } })), opts), {
      code: 'ERR_FIELD_INVALID',
      field,
    });
  }
});

test('msg_method and deposit-back ids are tokens too', () => {
  refusedAs('msg_method', sign(buildGatewayMessageFields('alipay.trade.refund.depositback.completed?x', {})));
  refusedAs(
    'out_request_no',
    sign(
      buildDepositbackFields('S', {
        overrides: {
          biz_content: JSON.stringify({
            trade_no: '1',
            out_trade_no: 'o',
            out_request_no: 'r 1',
            dback_status: 'S',
            dback_amount: '1.00',
          }),
        },
      }),
    ),
  );
});

test('an unknown notify_type is kind other, and one that carries refund or trade-status fields is refused', () => {
  const fields = {
    notify_type: 'future_notify',
    notify_id: 'n1',
    app_id: APP_ID,
    notify_time: '2024-05-01 12:00:00',
    charset: 'utf-8',
    note: 'x',
  };
  const n = verifyNotify(sign(fields), options);
  assert.equal(n.kind, 'other');
  for (const extra of ['refund_fee', 'gmt_refund', 'refund_status', 'out_biz_no', 'out_request_no', 'trade_status']) {
    refusedAs('notify_type', sign({ ...fields, [extra]: 'X' }));
  }
  // A refund can never be dressed as an unknown type: trade_status_sync with any suffix is refused.
  refusedAs(
    'notify_type',
    sign(buildRefundFields('partial', { overrides: { notify_type: 'trade_status_sync_x', trade_status: undefined } })),
  );
});
