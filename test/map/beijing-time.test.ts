// parseBeijingTime (src/map/beijing-time.ts): Alipay's times are Beijing wall-clock times (+08:00),
// checked against the Gregorian calendar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotifyFieldError } from '../../src/index.js';
import { parseBeijingTime } from '../../src/building-blocks.js';

test('Beijing times become instants at +08:00, milliseconds kept', () => {
  assert.equal(parseBeijingTime('2019-08-15 15:56:25', 'x').toISOString(), '2019-08-15T07:56:25.000Z');
  assert.equal(parseBeijingTime('2015-04-28 15:45:57.320', 'x').toISOString(), '2015-04-28T07:45:57.320Z');
  assert.equal(parseBeijingTime('2015-04-28 15:45:57.3', 'x').toISOString(), '2015-04-28T07:45:57.300Z');
  assert.equal(parseBeijingTime('2020-01-01 03:00:00', 'x').toISOString(), '2019-12-31T19:00:00.000Z');
});

test('impossible or malformed times are ERR_FIELD_INVALID', () => {
  for (const bad of [
    '2015-14-27 15:45:58',
    '2019-02-30 00:00:00',
    '2019-08-15T15:56:25',
    '2019-08-15 24:00:00',
    '2019-08-15 15:56',
    '',
  ]) {
    assert.throws(() => parseBeijingTime(bad, 'notify_time'), NotifyFieldError, bad);
  }
});

test('29 February exists in 2024 and 2000, not in 2023 or 1900 (Gregorian century rule)', () => {
  assert.equal(parseBeijingTime('2024-02-29 08:00:00', 'gmt_refund').toISOString(), '2024-02-29T00:00:00.000Z');
  assert.equal(parseBeijingTime('2000-02-29 08:00:00', 'gmt_refund').toISOString(), '2000-02-29T00:00:00.000Z');
  for (const text of ['2023-02-29 08:00:00', '1900-02-29 08:00:00']) {
    assert.throws(() => parseBeijingTime(text, 'gmt_refund'), {
      code: 'ERR_FIELD_INVALID',
      field: 'gmt_refund',
      message: /not a valid calendar time/,
    });
  }
});
