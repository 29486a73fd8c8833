// pollRefund against the fake gateway: the first query waits at least 10 s, then the waits double;
// it resolves with success or not_refunded, keeps asking through unknown answers and transport
// failures, and rejects with ERR_REFUND_STATUS_UNKNOWN when they never end. The waits are seen
// through an injected sleep (no test sleeps for minutes), except one real 10-second timer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createAlipayClient,
  MIN_REFUND_QUERY_DELAY_MS,
  pollRefund,
  type AlipayClient,
} from '../../src/client/index.js';
import { NotifyConfigError, RefundStatusUnknownError } from '../../src/errors/index.js';
import { createFakeAlipayGateway, type FakeAlipayGateway } from '../../src/testing/index.js';
import { rejectsWith } from './support.js';

let gateway: FakeAlipayGateway;
let client: AlipayClient;
before(async () => {
  gateway = await createFakeAlipayGateway();
  client = createAlipayClient(gateway.clientOptions());
});
after(() => gateway.close());

function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

test('a full refund Alipay does not notify (TRADE_CLOSED, 当面付 default) is found by the poll: success', async () => {
  const { outTradeNo } = gateway.createTrade({ totalAmount: '100.00', notifyUrl: 'http://127.0.0.1:9/never' });
  const { delivery } = gateway.refund({ outTradeNo, outRequestNo: outTradeNo, refundAmount: '100.00' });
  assert.equal(delivery, undefined, 'no notification for the full refund');
  const { waits, sleep } = recordingSleep();
  const result = await pollRefund(client, { outTradeNo, outRequestNo: outTradeNo }, { sleep });
  assert.equal(result.status, 'success');
  assert.deepEqual(result.refundAmount, { fen: 10000, yuan: '100.00' });
  assert.deepEqual(waits, [MIN_REFUND_QUERY_DELAY_MS]);
  assert.equal(MIN_REFUND_QUERY_DELAY_MS, 10_000);
});

test('not_refunded is final: resolved after one query', async () => {
  const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
  const { waits, sleep } = recordingSleep();
  assert.equal((await pollRefund(client, { outTradeNo, outRequestNo: 'never' }, { sleep })).status, 'not_refunded');
  assert.equal(waits.length, 1);
});

test('unknown answers, 20000, HTTP 502, timeouts and dropped connections are asked again with doubling waits', async () => {
  const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
  gateway.refund({ outTradeNo, outRequestNo: 'R', refundAmount: '1.00' });
  const method = 'alipay.trade.fastpay.refund.query';
  for (const fault of ['system-error', 'unavailable', 'http-error', 'hang', 'reset'] as const)
    gateway.injectFault(fault, { method });
  const { waits, sleep } = recordingSleep();
  // A short timeout for the `hang`; on a loaded machine an honest answer may time out too, so
  // only the shape of the waits is checked, not their number.
  const impatient = createAlipayClient({ ...gateway.clientOptions(), timeoutMs: 1000 });
  const result = await pollRefund(
    impatient,
    { outTradeNo, outRequestNo: 'R' },
    { sleep, delayMs: 15_000, maxDelayMs: 100_000, attempts: 20 },
  );
  assert.equal(result.status, 'success');
  assert.ok(waits.length >= 6, 'five failures, then the answer');
  assert.deepEqual(waits.slice(0, 6), [15_000, 30_000, 60_000, 100_000, 100_000, 100_000]);
});

test('never a final answer: ERR_REFUND_STATUS_UNKNOWN after the attempts, the last failure as cause', async () => {
  const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
  const method = 'alipay.trade.fastpay.refund.query';
  gateway.injectFault('system-error', { method, times: 2 });
  gateway.injectFault('http-error', { method });
  const { waits, sleep } = recordingSleep();
  const err = await rejectsWith<RefundStatusUnknownError>(
    pollRefund(client, { outTradeNo, outRequestNo: 'R' }, { sleep, attempts: 3 }),
    'ERR_REFUND_STATUS_UNKNOWN',
  );
  assert.equal(err.attempts, 3);
  assert.equal((err.cause as { httpStatus?: number }).httpStatus, 502);
  assert.deepEqual(waits, [10_000, 20_000, 40_000]);
  gateway.injectFault('system-error', { method });
  const onlyUnknown = await rejectsWith<RefundStatusUnknownError>(
    pollRefund(client, { outTradeNo, outRequestNo: 'R' }, { sleep, attempts: 1 }),
    'ERR_REFUND_STATUS_UNKNOWN',
  );
  assert.equal(onlyUnknown.cause, undefined);
});

test('an answer that does not verify or a business error is reported at once, not retried', async () => {
  const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
  gateway.injectFault('tampered', { method: 'alipay.trade.fastpay.refund.query' });
  const { waits, sleep } = recordingSleep();
  await rejectsWith(pollRefund(client, { outTradeNo, outRequestNo: 'R' }, { sleep }), 'ERR_SIGNATURE_INVALID');
  await rejectsWith(
    pollRefund(client, { outTradeNo: 'no-such-order', outRequestNo: 'R' }, { sleep }),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(waits.length, 2);
});

test('options: sooner than 10 s, no attempts, or a cap below the delay is ERR_CONFIG', async () => {
  const params = { outTradeNo: 'x', outRequestNo: 'y' };
  for (const [options, option] of [
    [{ delayMs: 9_999 }, 'delayMs'],
    [{ attempts: 0 }, 'attempts'],
    [{ delayMs: 20_000, maxDelayMs: 10_000 }, 'maxDelayMs'],
  ] as const) {
    await assert.rejects(
      pollRefund(client, params, options),
      (err: unknown) => err instanceof NotifyConfigError && err.option === option,
    );
  }
});

test('the default timer: really waits 10 s before the first query, and an abort stops the wait', async () => {
  const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
  const aborted = new AbortController();
  aborted.abort(new Error('shutting down'));
  await assert.rejects(
    pollRefund(client, { outTradeNo, outRequestNo: 'R' }, { signal: aborted.signal }),
    /shutting down/,
  );
  const later = new AbortController();
  const pending = pollRefund(client, { outTradeNo, outRequestNo: 'R' }, { signal: later.signal });
  setTimeout(() => later.abort(new Error('stop')), 50);
  await assert.rejects(pending, /stop/);
  const calls = gateway.calls.length;
  const started = Date.now();
  const result = await pollRefund(client, { outTradeNo, outRequestNo: 'R' });
  assert.equal(result.status, 'not_refunded');
  assert.equal(gateway.calls.length, calls + 1);
  assert.ok(Date.now() - started >= 9_900, 'no query before 10 s');
});
