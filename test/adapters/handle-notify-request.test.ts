// The core every adapter shares: setup checks, and the answers when the store or a logger fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNotifyRequestHandler } from '../../src/adapters/handle-notify-request.js';
import type { DuplicateStore } from '../../src/store/duplicate-store.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { NotifyLogDetails } from '../../src/adapters/adapter-options.js';
import { doneTtlMs } from '../../src/adapters/run-once.js';
import { buildRefundFields } from '../../src/testing/index.js';
import { DEFAULT_MAX_NOTIFY_AGE_MS, MAX_FUTURE_SKEW_MS } from '../../src/verifier/check-freshness.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, refund, signed, type AnyOptions } from './support/adapter-cases.js';

// logger: false keeps the test output clean; the tests that are about logging give their own.
const base: AnyOptions = {
  alipayPublicKey: ALIPAY_PUBLIC_KEY,
  appId: APP_ID,
  onRefund: () => undefined,
  onNotification: 'acknowledge',
  logger: false,
};

test('setup refuses missing handlers, an implicit choice for other notifications, a bad store, timeout, age or logger', () => {
  const bad: [string, Partial<AnyOptions>][] = [
    ['onRefund', { onRefund: undefined as never }],
    ['onNotification', { onNotification: undefined as never }],
    ['onNotification', { onNotification: 'ignore' as never }],
    ['store', { store: {} as never }],
    ['store', { store: null as never }],
    ['handlerTimeoutMs', { handlerTimeoutMs: 0 }],
    ['handlerTimeoutMs', { handlerTimeoutMs: 2 ** 31 }],
    ['onError', { onError: 'console' as never }],
    ['bodyTimeoutMs', { bodyTimeoutMs: 0 }],
    ['bodyTimeoutMs', { bodyTimeoutMs: 1.5 }],
    ['maxNotifyAgeMs', { maxNotifyAgeMs: 0 }],
    ['maxNotifyAgeMs', { maxNotifyAgeMs: Number.POSITIVE_INFINITY }],
    ['logger', { logger: true as never }],
    ['logger', { logger: { info() {} } as never }],
    ['appId', { appId: undefined }],
  ];
  for (const [option, patch] of bad) {
    assert.throws(() => createNotifyRequestHandler({ ...base, ...patch }), { code: 'ERR_CONFIG', option }, option);
  }
});

const failing = (method: keyof DuplicateStore): DuplicateStore => {
  const store = createMemoryStore();
  return { ...store, [method]: () => Promise.reject(new Error(`${method}: connection refused`)) };
};

test('a store that cannot claim answers 503 fail without running the handler', async () => {
  let calls = 0;
  const codes: string[] = [];
  const core = createNotifyRequestHandler({
    ...base,
    store: failing('claim'),
    onRefund: () => void calls++,
    onError: (e) => void codes.push(e.code),
  });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 503, body: 'fail' });
  assert.equal(calls, 0);
  assert.deepEqual(codes, ['ERR_STORE_FAILED']);
});

test('a store that cannot mark done after the handler succeeded still answers success, and reports it', async () => {
  const reports: [string, number | undefined][] = [];
  const core = createNotifyRequestHandler({
    ...base,
    store: failing('complete'),
    onError: (e, ctx) => void reports.push([e.code, ctx.status]),
  });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 200, body: 'success' });
  assert.deepEqual(reports, [['ERR_STORE_FAILED', 200]]);
});

test('a copy whose twin failed answers fail, so that Alipay retries it', async () => {
  let release!: () => void;
  const codes: string[] = [];
  const core = createNotifyRequestHandler({
    ...base,
    onRefund: () => new Promise<void>((_, reject) => (release = () => reject(new Error('no')))),
    onError: (e) => void codes.push(e.code),
  });
  const { body } = refund();
  const first = core.handle(body, undefined);
  await new Promise((r) => setImmediate(r));
  const second = core.handle(body, undefined);
  await new Promise((r) => setTimeout(r, 20));
  release();
  assert.deepEqual(await first, { status: 500, body: 'fail' });
  assert.deepEqual(await second, { status: 503, body: 'fail' });
  assert.deepEqual(codes.sort(), ['ERR_DUPLICATE_IN_FLIGHT', 'ERR_HANDLER_FAILED']);
});

/** A pino-style logger that keeps what it is given. */
function recordingLogger() {
  const calls: [NotifyLogDetails, string][] = [];
  return { calls, error: (details: NotifyLogDetails, message: string) => void calls.push([details, message]) };
}

test('an onError that throws, or whose promise rejects, does not change the answer; its failure is logged', async () => {
  const thrown = new Error('onError down');
  for (const onError of [
    () => {
      throw thrown;
    },
    async () => {
      throw thrown;
    },
  ]) {
    const logger = recordingLogger();
    const core = createNotifyRequestHandler({ ...base, onError, logger });
    assert.deepEqual(await core.handle(Buffer.from('not=a&notification=1'), undefined), { status: 400, body: 'fail' });
    await new Promise((r) => setImmediate(r));
    assert.equal(logger.calls.length, 1);
    const [details, message] = logger.calls[0]!;
    assert.equal(details.err, thrown);
    assert.equal(details.status, 400);
    assert.match(
      message,
      /^alipay-refund-notify: ERR_\w+ \(answered 400 fail\): .*\[onError failed while reporting it\]$/,
    );
  }
});

test('a logger that throws does not change the answer either', async () => {
  const core = createNotifyRequestHandler({
    ...base,
    logger: {
      error() {
        throw new Error('disk full');
      },
    },
  });
  assert.deepEqual(await core.handle(Buffer.from('not=a&notification=1'), undefined), { status: 400, body: 'fail' });
});

test('problems after a success are logged too: the answer, then what went wrong', async () => {
  const logger = recordingLogger();
  const storeDown = new Error('complete: connection refused');
  const memory = createMemoryStore();
  const { body, notifyId } = refund();
  const core = createNotifyRequestHandler({
    ...base,
    logger,
    store: { ...memory, complete: () => Promise.reject(storeDown) },
  });
  assert.deepEqual(await core.handle(body, undefined), { status: 200, body: 'success' });
  assert.deepEqual(
    logger.calls.map(([d]) => [d.code, d.notifyId, d.status, d.err]),
    [['ERR_STORE_FAILED', notifyId, 200, storeDown]],
  );
  assert.match(logger.calls[0]![1], /\(answered 200 success\)/);
});

test('a late handler failure, after the answer was sent, is logged with no status', async () => {
  const logger = recordingLogger();
  const memory = createMemoryStore();
  let fail!: () => void;
  const releaseDown = new Error('release: connection refused');
  const core = createNotifyRequestHandler({
    ...base,
    logger,
    handlerTimeoutMs: 20,
    store: { ...memory, release: () => Promise.reject(releaseDown) },
    onRefund: () => new Promise<void>((_, reject) => (fail = () => reject(new Error('late')))),
  });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 500, body: 'fail' });
  fail();
  for (let i = 0; i < 100 && logger.calls.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(
    logger.calls.map(([d]) => [d.code, d.status]),
    [
      ['ERR_HANDLER_TIMEOUT', 500],
      ['ERR_STORE_FAILED', undefined],
    ],
  );
  assert.match(logger.calls[1]![1], /\(after the answer was sent\)/);
});

test('done marks outlive the freshness window: the TTL is maxNotifyAgeMs + 5 minutes + a margin', async () => {
  for (const maxNotifyAgeMs of [undefined, 48 * 3600_000, 60_000]) {
    const ttls: number[] = [];
    const memory = createMemoryStore();
    const store: DuplicateStore = {
      ...memory,
      complete: (key, token, ttlMs) => (ttls.push(ttlMs), memory.complete(key, token, ttlMs)),
    };
    const core = createNotifyRequestHandler({
      ...base,
      store,
      ...(maxNotifyAgeMs === undefined ? {} : { maxNotifyAgeMs }),
    });
    assert.deepEqual(await core.handle(refund().body, undefined), { status: 200, body: 'success' });
    const window = (maxNotifyAgeMs ?? DEFAULT_MAX_NOTIFY_AGE_MS) + MAX_FUTURE_SKEW_MS;
    assert.equal(ttls.length, 1);
    assert.ok(ttls[0]! > window, `done TTL ${ttls[0]} outlives the window ${window}`);
    assert.equal(ttls[0], doneTtlMs(maxNotifyAgeMs ?? DEFAULT_MAX_NOTIFY_AGE_MS));
  }
});

test('a replay once its done mark is gone is refused by its age, not run again', async () => {
  // A notification first handled 26 h 10 min ago (its mark, 26 h 5 min, has expired: a fresh
  // store) comes back: the clock says it is too old.
  let calls = 0;
  const { body } = refund();
  const later = (): Date => new Date(Date.now() + doneTtlMs(DEFAULT_MAX_NOTIFY_AGE_MS) + 5 * 60_000);
  const codes: string[] = [];
  const core = createNotifyRequestHandler({
    ...base,
    now: later,
    onRefund: () => void calls++,
    onError: (e) => void codes.push(e.code),
  });
  assert.deepEqual(await core.handle(body, undefined), { status: 400, body: 'fail' });
  assert.equal(calls, 0);
  assert.deepEqual(codes, ['ERR_NOTIFY_EXPIRED']);
});

test('with freshness on, a notification without a time cannot be dated and is refused', async () => {
  const codes: string[] = [];
  const { body } = signed(buildRefundFields('partial', { appId: APP_ID, overrides: { notify_time: undefined } }));
  const core = createNotifyRequestHandler({ ...base, onError: (e) => void codes.push(e.code) });
  assert.deepEqual(await core.handle(body, undefined), { status: 400, body: 'fail' });
  assert.deepEqual(codes, ['ERR_FIELD_INVALID']);
});

test('a synchronous throw in the handler is a fail, like a rejection', async () => {
  const core = createNotifyRequestHandler({
    ...base,
    onRefund: () => {
      throw new Error('sync');
    },
  });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 500, body: 'fail' });
});
