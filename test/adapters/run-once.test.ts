// Edges of src/adapters/run-once.ts through the core every adapter shares: a claim that ran out
// while the handler ran, and a duplicate store that fails on release or while a copy waits.
// The stores are the real in-memory store, with one operation changed as described.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNotifyRequestHandler } from '../../src/adapters/handle-notify-request.js';
import type { DuplicateStore } from '../../src/store/duplicate-store.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, refund, type AnyOptions } from './support/adapter-cases.js';

// logger: false keeps the test output clean; the tests that are about logging give their own.
const base: AnyOptions = {
  alipayPublicKey: ALIPAY_PUBLIC_KEY,
  appId: APP_ID,
  onRefund: () => undefined,
  onNotification: 'acknowledge',
  logger: false,
};
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reporting() {
  const reports: [string, number | undefined][] = [];
  return {
    reports,
    onError: (e: { code: string }, ctx: { status?: number }) => void reports.push([e.code, ctx.status]),
  };
}

test('a claim that expired while the handler ran is acknowledged, and the overlap reported', async () => {
  // A store whose leases last 1 ms: the claim has run out by the time the handler finishes.
  const memory = createMemoryStore();
  const store: DuplicateStore = { ...memory, claim: (key) => memory.claim(key, 1) };
  const { reports, onError } = reporting();
  const core = createNotifyRequestHandler({ ...base, store, onRefund: () => tick(20), onError });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 200, body: 'success' });
  assert.deepEqual(reports, [['ERR_DUPLICATE_OVERLAP', 200]]);
});

test('a store that cannot release a failed claim: the handler failure is still a 500 fail, and both are reported', async () => {
  const memory = createMemoryStore();
  const store: DuplicateStore = { ...memory, release: () => Promise.reject(new Error('release: connection refused')) };
  const { reports, onError } = reporting();
  const core = createNotifyRequestHandler({
    ...base,
    store,
    onRefund: () => Promise.reject(new Error('db down')),
    onError,
  });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 500, body: 'fail' });
  assert.deepEqual(reports, [
    ['ERR_HANDLER_FAILED', 500],
    ['ERR_STORE_FAILED', 500],
  ]);
});

test('a copy waiting on its twin answers 503 when the store cannot be read', async () => {
  const memory = createMemoryStore();
  const store: DuplicateStore = { ...memory, peek: () => Promise.reject(new Error('peek: connection refused')) };
  const { reports, onError } = reporting();
  let finish!: () => void;
  const core = createNotifyRequestHandler({
    ...base,
    store,
    onRefund: () => new Promise<void>((resolve) => (finish = resolve)),
    onError,
  });
  const { body } = refund();
  const first = core.handle(body, undefined);
  await tick(10);
  assert.deepEqual(await core.handle(body, undefined), { status: 503, body: 'fail' });
  finish();
  assert.deepEqual(await first, { status: 200, body: 'success' });
  assert.deepEqual(reports, [['ERR_STORE_FAILED', 503]]);
});

test('a copy gives up waiting on a twin that overran its timeout, so that Alipay retries later', async () => {
  const { reports, onError } = reporting();
  let finish!: () => void;
  const core = createNotifyRequestHandler({
    ...base,
    store: createMemoryStore(),
    handlerTimeoutMs: 50,
    onRefund: () => new Promise<void>((resolve) => (finish = resolve)),
    onError,
  });
  const { body } = refund();
  const first = core.handle(body, undefined);
  await tick(10);
  const second = core.handle(body, undefined);
  assert.deepEqual(await first, { status: 500, body: 'fail' }); // timed out, still holding its claim
  assert.deepEqual(await second, { status: 503, body: 'fail' });
  assert.deepEqual(reports.map(([code]) => code).sort(), ['ERR_DUPLICATE_IN_FLIGHT', 'ERR_HANDLER_TIMEOUT']);
  // When the overrunning handler does finish, it is marked done: the next retry is acknowledged.
  // (Run again, the handler would never settle and time out: a success means it was not run.)
  finish();
  await tick(10);
  assert.deepEqual(await core.handle(body, undefined), { status: 200, body: 'success' });
});

test('ctx.signal first read after the deadline is already aborted, with the timeout as its reason; every read is the same signal', async () => {
  const { reports, onError } = reporting();
  let finish!: () => void;
  const late = new Promise<void>((resolve) => (finish = resolve));
  let seen: { aborted: boolean; reason: unknown; same: boolean } | undefined;
  const core = createNotifyRequestHandler({
    ...base,
    handlerTimeoutMs: 30,
    onRefund: async (_n, ctx) => {
      await late; // does not look at the signal before its deadline
      const s = ctx.signal;
      seen = { aborted: s.aborted, reason: s.reason, same: ctx.signal === s };
    },
    onError,
  });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 500, body: 'fail' });
  finish();
  await tick(10);
  assert.equal(seen?.aborted, true);
  assert.equal((seen?.reason as { code?: string } | undefined)?.code, 'ERR_HANDLER_TIMEOUT');
  assert.equal(seen?.same, true);
  assert.deepEqual(reports, [['ERR_HANDLER_TIMEOUT', 500]]);
});

test('a handler that finishes in time never sees its signal aborted, even read after the deadline would have passed', async () => {
  let signal: AbortSignal | undefined;
  const core = createNotifyRequestHandler({
    ...base,
    handlerTimeoutMs: 20,
    onRefund: (_n, ctx) => void (signal = ctx.signal),
  });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 200, body: 'success' });
  await tick(40);
  assert.equal(signal?.aborted, false);
});

test('without a store, a handler that rejects after its deadline is no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    let fail!: () => void;
    const { reports, onError } = reporting();
    const core = createNotifyRequestHandler({
      ...base,
      store: false,
      handlerTimeoutMs: 20,
      onRefund: () => new Promise<void>((_, reject) => (fail = () => reject(new Error('late')))),
      onError,
    });
    assert.deepEqual(await core.handle(refund().body, undefined), { status: 500, body: 'fail' });
    fail();
    await tick(20);
    assert.deepEqual(unhandled, []);
    assert.deepEqual(reports, [['ERR_HANDLER_TIMEOUT', 500]]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
