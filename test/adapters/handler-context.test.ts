// src/adapters/handler-context.ts: every handler's context is a fast-properties object of one
// shape, its `signal` is made on first read and is the same on every read, and it carries the
// request's own notify_id, bytes, request and (without an inbox) no transaction. V8's own
// %HasFastProperties tells: an object literal with a getter is a dictionary-mode object, and
// building one per request cost the adapters a quarter of their time in garbage collection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';
import { createNotifyRequestHandler } from '../../src/adapters/handle-notify-request.js';
import type { NotifyContext } from '../../src/adapters/adapter-options.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, refund } from './support/adapter-cases.js';

setFlagsFromString('--allow-natives-syntax');
// Compiled after the flag is set: V8's intrinsics are only reachable from code compiled with it.
const haveSameMap = runInThisContext('(a, b) => %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const hasFastProperties = runInThisContext('(a) => %HasFastProperties(a)') as (a: object) => boolean;

test('contexts of different requests are fast objects of one shape; signal is lazy and stable', async () => {
  const seen: NotifyContext<string>[] = [];
  const core = createNotifyRequestHandler<string>({
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    onRefund: (_n, ctx) => void seen.push(ctx),
    onNotification: 'acknowledge',
    logger: false,
  });
  const first = refund('partial');
  const second = refund('full');
  assert.equal((await core.handle(first.body, 'request one')).status, 200);
  assert.equal((await core.handle(second.body, 'request two')).status, 200);
  assert.equal(seen.length, 2);
  const [a, b] = seen as [NotifyContext<string>, NotifyContext<string>];
  assert.ok(hasFastProperties(a) && hasFastProperties(b), 'a handler context is a dictionary-mode object');
  assert.ok(haveSameMap(a, b), 'two handler contexts have different hidden classes');
  assert.equal(a.notifyId, first.notifyId);
  assert.equal(b.notifyId, second.notifyId);
  assert.deepEqual(a.rawBody, Buffer.from(first.body));
  assert.equal(a.request, 'request one');
  assert.equal(a.tx, undefined);
  const signal = a.signal;
  assert.ok(signal instanceof AbortSignal);
  assert.equal(signal.aborted, false);
  assert.equal(a.signal, signal);
  assert.ok(hasFastProperties(a) && haveSameMap(a, b), 'reading signal changed the context shape');
});
