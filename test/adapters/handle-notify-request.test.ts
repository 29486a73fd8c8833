// The core every adapter shares: setup checks, and the answers when the store or a logger fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNotifyRequestHandler } from '../../src/adapters/handle-notify-request.js';
import type { DuplicateStore } from '../../src/store/duplicate-store.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, refund, type AnyOptions } from './support/adapter-cases.js';

const base: AnyOptions = { alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID, onRefund: () => undefined, onNotification: 'acknowledge' };

test('setup refuses missing handlers, an implicit choice for other notifications, a bad store or timeout', () => {
  const bad: [string, Partial<AnyOptions>][] = [
    ['onRefund', { onRefund: undefined as never }],
    ['onNotification', { onNotification: undefined as never }],
    ['onNotification', { onNotification: 'ignore' as never }],
    ['store', { store: {} as never }],
    ['store', { store: null as never }],
    ['handlerTimeoutMs', { handlerTimeoutMs: 0 }],
    ['handlerTimeoutMs', { handlerTimeoutMs: 2 ** 31 }],
    ['onError', { onError: 'console' as never }],
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
  const core = createNotifyRequestHandler({ ...base, store: failing('claim'), onRefund: () => void calls++, onError: (e) => void codes.push(e.code) });
  assert.deepEqual(await core.handle(refund().body, undefined), { status: 503, body: 'fail' });
  assert.equal(calls, 0);
  assert.deepEqual(codes, ['ERR_STORE_FAILED']);
});

test('a store that cannot mark done after the handler succeeded still answers success, and reports it', async () => {
  const reports: [string, number | undefined][] = [];
  const core = createNotifyRequestHandler({ ...base, store: failing('complete'), onError: (e, ctx) => void reports.push([e.code, ctx.status]) });
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

test('a throwing onError does not change the answer', async () => {
  const core = createNotifyRequestHandler({
    ...base,
    onError: () => {
      throw new Error('logger down');
    },
  });
  assert.deepEqual(await core.handle(Buffer.from('not=a&notification=1'), undefined), { status: 400, body: 'fail' });
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
