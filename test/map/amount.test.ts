import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotifyFieldError } from '../../src/index.js';
import { parseAmount, parseBeijingTime, parseFundBillList } from '../../src/building-blocks.js';

test('amounts become integer fen without floating point', () => {
  assert.deepEqual(parseAmount('0.10', 'x'), { fen: 10, yuan: '0.10' });
  assert.deepEqual(parseAmount('20.00', 'x'), { fen: 2000, yuan: '20.00' });
  assert.deepEqual(parseAmount('80', 'x'), { fen: 8000, yuan: '80' });
  assert.deepEqual(parseAmount('1.5', 'x'), { fen: 150, yuan: '1.5' });
  // 0.1 + 0.2 style float errors cannot happen: 1234567.89 is exact.
  assert.equal(parseAmount('1234567.89', 'x').fen, 123456789);
  assert.equal(Number.isInteger(parseAmount('99999999.99', 'x').fen), true);
});

test('anything but a plain decimal is ERR_FIELD_INVALID naming the field', () => {
  for (const bad of ['', '-1.00', '1.001', '1e3', ' 1.00', '1.00 ', '0x10', '１.００', 'NaN', '.5', '1.']) {
    assert.throws(() => parseAmount(bad, 'refund_fee'), (e: unknown) => e instanceof NotifyFieldError && e.field === 'refund_fee' && e.code === 'ERR_FIELD_INVALID', bad);
  }
});

test('Beijing times become instants at +08:00, milliseconds kept', () => {
  assert.equal(parseBeijingTime('2019-08-15 15:56:25', 'x').toISOString(), '2019-08-15T07:56:25.000Z');
  assert.equal(parseBeijingTime('2015-04-28 15:45:57.320', 'x').toISOString(), '2015-04-28T07:45:57.320Z');
  assert.equal(parseBeijingTime('2015-04-28 15:45:57.3', 'x').toISOString(), '2015-04-28T07:45:57.300Z');
  assert.equal(parseBeijingTime('2020-01-01 03:00:00', 'x').toISOString(), '2019-12-31T19:00:00.000Z');
});

test('impossible or malformed times are ERR_FIELD_INVALID', () => {
  for (const bad of ['2015-14-27 15:45:58', '2019-02-30 00:00:00', '2019-08-15T15:56:25', '2019-08-15 24:00:00', '2019-08-15 15:56', '']) {
    assert.throws(() => parseBeijingTime(bad, 'notify_time'), NotifyFieldError, bad);
  }
});

test('fund_bill_list is parsed, camelCase as in notifications', () => {
  const bills = parseFundBillList('[{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"},{"amount":"1.00","fundChannel":"PCREDIT","realAmount":"0.90"}]');
  assert.equal(bills.length, 2);
  assert.equal(bills[0]!.fundChannel, 'ALIPAYACCOUNT');
  assert.equal(bills[1]!.realAmount?.fen, 90);
  assert.throws(() => parseFundBillList('[{amount:"0.10"}]'), NotifyFieldError);
  assert.throws(() => parseFundBillList('{}'), NotifyFieldError);
  assert.throws(() => parseFundBillList('[1]'), NotifyFieldError);
});
