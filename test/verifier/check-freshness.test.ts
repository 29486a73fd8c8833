// maxNotifyAgeMs in the core: off by default (archived notifications stay verifiable), and when on,
// an old or future-dated notification is ERR_NOTIFY_EXPIRED, measured with the `now` option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_MAX_NOTIFY_AGE_MS,
  MAX_FUTURE_SKEW_MS,
  NotifyExpiredError,
  verifyNotify,
  type NotifyVerifierOptions,
} from '../../src/index.js';
import {
  buildGatewayMessageFields,
  buildRefundFields,
  generateTestKeyPair,
  signNotification,
} from '../../src/testing/index.js';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const base: NotifyVerifierOptions = { alipayPublicKey: alipay.publicKey, appId: APP_ID };
const sent = new Date('2026-06-01T04:00:00.000Z'); // 12:00:00 Beijing time
const refund = signNotification(buildRefundFields('partial', { now: sent }), { privateKey: alipay.privateKey }).body;
const at =
  (ms: number): (() => Date) =>
  () =>
    new Date(sent.getTime() + ms);

test('off by default: a year-old notification still verifies', () => {
  assert.equal(verifyNotify(refund, { ...base, now: at(365 * 86_400_000) }).kind, 'trade_refund');
});

test('on: within the window verifies; older, or further in the future than the skew, is ERR_NOTIFY_EXPIRED', () => {
  const opts = { ...base, maxNotifyAgeMs: DEFAULT_MAX_NOTIFY_AGE_MS };
  assert.equal(verifyNotify(refund, { ...opts, now: at(DEFAULT_MAX_NOTIFY_AGE_MS) }).kind, 'trade_refund');
  assert.equal(verifyNotify(refund, { ...opts, now: at(-MAX_FUTURE_SKEW_MS) }).kind, 'trade_refund');
  for (const [offset, future] of [
    [DEFAULT_MAX_NOTIFY_AGE_MS + 1000, false],
    [-MAX_FUTURE_SKEW_MS - 1000, true],
  ] as const) {
    assert.throws(
      () => verifyNotify(refund, { ...opts, now: at(offset) }),
      (err: unknown) => {
        assert.ok(err instanceof NotifyExpiredError);
        assert.equal(err.code, 'ERR_NOTIFY_EXPIRED');
        assert.equal(err.notifyTime.getTime(), sent.getTime());
        assert.equal(err.ageMs, offset);
        assert.equal(err.maxAgeMs, DEFAULT_MAX_NOTIFY_AGE_MS);
        assert.match(err.message, future ? /future/ : /older/);
        return true;
      },
    );
  }
});

test('a message-service message is dated by utc_timestamp; one without any time cannot be checked and is refused', () => {
  const opts = { ...base, maxNotifyAgeMs: 60_000 };
  const fresh = signNotification(buildGatewayMessageFields('alipay.fund.trans.order.changed', {}, { now: sent }), {
    privateKey: alipay.privateKey,
  }).body;
  assert.equal(verifyNotify(fresh, { ...opts, now: at(30_000) }).kind, 'gateway_message');
  assert.throws(() => verifyNotify(fresh, { ...opts, now: at(120_000) }), { code: 'ERR_NOTIFY_EXPIRED' });
  const undated = signNotification(
    buildGatewayMessageFields('alipay.fund.trans.order.changed', {}, { overrides: { utc_timestamp: undefined } }),
    { privateKey: alipay.privateKey },
  ).body;
  assert.throws(() => verifyNotify(undated, opts), { code: 'ERR_FIELD_INVALID', field: 'notify_time' });
});

test('maxNotifyAgeMs must be a positive integer', () => {
  for (const bad of [0, -1, 1.5, Number.NaN])
    assert.throws(() => verifyNotify(refund, { ...base, maxNotifyAgeMs: bad }), {
      code: 'ERR_CONFIG',
      option: 'maxNotifyAgeMs',
    });
});
