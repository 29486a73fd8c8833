// parseAmount (src/map/amount.ts): yuan as Alipay writes them, to integer fen without floating point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotifyFieldError } from '../../src/index.js';
import { parseAmount } from '../../src/building-blocks.js';

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
    assert.throws(
      () => parseAmount(bad, 'refund_fee'),
      (e: unknown) => e instanceof NotifyFieldError && e.field === 'refund_fee' && e.code === 'ERR_FIELD_INVALID',
      bad,
    );
  }
});
