// parseFundBillList (src/map/fund-bill-list.ts): the JSON list of funding channels, camelCase as in
// notifications or snake_case as in some answers, each entry with its amount.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotifyFieldError } from '../../src/index.js';
import { parseFundBillList } from '../../src/building-blocks.js';

test('fund_bill_list is parsed, camelCase as in notifications', () => {
  const bills = parseFundBillList(
    '[{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"},{"amount":"1.00","fundChannel":"PCREDIT","realAmount":"0.90"}]',
  );
  assert.equal(bills.length, 2);
  assert.equal(bills[0]!.fundChannel, 'ALIPAYACCOUNT');
  assert.equal(bills[1]!.realAmount?.fen, 90);
  assert.throws(() => parseFundBillList('[{amount:"0.10"}]'), NotifyFieldError);
  assert.throws(() => parseFundBillList('{}'), NotifyFieldError);
  assert.throws(() => parseFundBillList('[1]'), NotifyFieldError);
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
